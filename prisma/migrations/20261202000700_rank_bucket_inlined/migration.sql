-- mljudge_rank_bucket again, the same buckets, as one expression that the planner inlines into the
-- queries that call it. The first version went through text (hex, then bit(64)) in a subquery, which
-- made it a SQL function call of ~4.5 us each; the board rank tree's UPDATE trigger computes it for
-- both sides of every BestScore row a scored submission touches, and in the deadline-rush bench that
-- took the trigger to ~0.25 ms of Postgres time per statement (~0.05 ms inlined).
--
-- The top 24 bits of the float8 are its first three bytes as float8send writes them (big-endian);
-- the sign is the top bit of the first. Negative numbers: every bit flipped (2^24 - 1 - top); others:
-- the sign bit set (top + 2^23). `key + 0.0` turns -0 into 0. Not STRICT, because the planner does
-- not inline a strict function whose body has a CASE; a NULL key still gives NULL.
CREATE OR REPLACE FUNCTION mljudge_rank_bucket(key float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN get_byte(float8send(key + 0.0), 0) >= 128
    THEN 16777215 - ((get_byte(float8send(key + 0.0), 0) << 16) + (get_byte(float8send(key + 0.0), 1) << 8)
                     + get_byte(float8send(key + 0.0), 2))
    ELSE (get_byte(float8send(key + 0.0), 0) << 16) + (get_byte(float8send(key + 0.0), 1) << 8)
         + get_byte(float8send(key + 0.0), 2) + 8388608
  END
$$;
