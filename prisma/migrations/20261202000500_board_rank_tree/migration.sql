-- "My rank" read from an index instead of counted. Counting the entries ahead of a student is an
-- index range as long as their rank (70,000 entries for a student at 70% of a 100,000-student board:
-- 22 ms with a fresh visibility map, 60-180 ms without). Instead, each board keeps a Fenwick tree
-- (binary indexed tree) of how many entries fall in each of 2^24 buckets of sortKey, stored sparsely
-- in BoardRankNode: a rank is the sum of at most 24 nodes (the entries in lower buckets) plus the
-- few entries of the student's own bucket ahead of them, read off the board index.
--
-- A bucket is the top 24 bits of sortKey's float8 bits mapped to an order-preserving unsigned
-- integer (negative numbers: every bit flipped; others: the sign bit set), so buckets follow the
-- board's order. -0 is bucketed as 0, which it equals. packages/db/src/rank-buckets.ts computes the
-- same buckets and their lower bounds.
CREATE TABLE "BoardRankNode" (
    "taskId" UUID NOT NULL,
    "split" "Split" NOT NULL,
    "node" INTEGER NOT NULL,
    "students" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BoardRankNode_pkey" PRIMARY KEY ("taskId","split","node")
);
ALTER TABLE "BoardRankNode" ADD CONSTRAINT "BoardRankNode_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION mljudge_rank_bucket(key float8) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN bits < 0 THEN ((~bits) >> 40)::integer ELSE ((bits >> 40) + 8388608)::integer END
  FROM (SELECT ('x' || encode(float8send(key + 0.0), 'hex'))::bit(64)::bigint AS bits) AS key_bits
$$;

-- The tree nodes that count bucket `bucket` (1-based Fenwick indexes, from the bucket's own upwards).
CREATE FUNCTION mljudge_rank_path(bucket integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  node bigint := bucket + 1;
  nodes integer[] := '{}';
BEGIN
  WHILE node <= 16777216 LOOP
    nodes := nodes || node::integer;
    node := node + (node & -node);
  END LOOP;
  RETURN nodes;
END
$$;

-- Where the entry of 0-based rank p_rank is: its bucket and how many entries of that bucket come
-- before it (a Fenwick descent, 25 node lookups by primary key), so that a page at any offset is
-- read from that bucket's floor on the board index instead of skipping p_rank entries. A rank past
-- the board's end gives the bucket 2^24, which holds nothing.
CREATE FUNCTION mljudge_rank_locate(p_task uuid, p_split "Split", p_rank integer)
RETURNS TABLE (bucket integer, skip integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  position integer := 0;
  remaining integer := p_rank;
  step integer := 16777216;
  here integer;
BEGIN
  WHILE step > 0 LOOP
    IF position + step <= 16777216 THEN
      SELECT students INTO here FROM "BoardRankNode"
      WHERE "taskId" = p_task AND split = p_split AND node = position + step;
      IF coalesce(here, 0) <= remaining THEN
        position := position + step;
        remaining := remaining - coalesce(here, 0);
      END IF;
    END IF;
    step := step / 2;
  END LOOP;
  RETURN QUERY SELECT position, remaining;
END
$$;

-- Entries added add one along their buckets' paths, entries removed take one away, entries whose
-- sortKey moved to another bucket do both, only where the two paths differ. Statement-level, from
-- the transition tables: a rescore that deletes a 100,000-entry board is one aggregate, not 100,000
-- row triggers. The nodes a statement changes are locked in (task, split, node) order before they
-- are written, so two statements never wait on each other's nodes in opposite orders.
CREATE OR REPLACE FUNCTION mljudge_board_rank_tree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- Net change per node, in lock order; "students" holds the change.
  changes "BoardRankNode"[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ROW(c."taskId", c.split, c.node, c.delta)::"BoardRankNode" ORDER BY c."taskId", c.split, c.node)
    INTO changes
    FROM (
      SELECT a."taskId", a.split, path.node, count(*)::integer AS delta
      FROM added a, unnest(mljudge_rank_path(mljudge_rank_bucket(a."sortKey"))) AS path(node)
      GROUP BY 1, 2, 3
    ) c;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ROW(c."taskId", c.split, c.node, c.delta)::"BoardRankNode" ORDER BY c."taskId", c.split, c.node)
    INTO changes
    FROM (
      SELECT g."taskId", g.split, path.node, -count(*)::integer AS delta
      FROM gone g, unnest(mljudge_rank_path(mljudge_rank_bucket(g."sortKey"))) AS path(node)
      GROUP BY 1, 2, 3
    ) c;
  ELSE
    SELECT array_agg(ROW(c."taskId", c.split, c.node, c.delta)::"BoardRankNode" ORDER BY c."taskId", c.split, c.node)
    INTO changes
    FROM (
      SELECT moved."taskId", moved.split, path.node, sum(path.delta)::integer AS delta
      FROM (
        SELECT n."taskId", n.split, mljudge_rank_bucket(o."sortKey") AS was, mljudge_rank_bucket(n."sortKey") AS now
        FROM before_rows o JOIN after_rows n USING ("taskId", split, "userId")
      ) moved,
      LATERAL (
        SELECT node, 1 FROM unnest(mljudge_rank_path(moved.now)) AS node
        UNION ALL
        SELECT node, -1 FROM unnest(mljudge_rank_path(moved.was)) AS node
      ) AS path(node, delta)
      WHERE moved.was <> moved.now
      GROUP BY 1, 2, 3
      HAVING sum(path.delta) <> 0
    ) c;
  END IF;
  IF changes IS NULL THEN
    RETURN NULL;
  END IF;

  PERFORM 1 FROM "BoardRankNode" n
  JOIN unnest(changes) c USING ("taskId", split, node)
  ORDER BY n."taskId", n.split, n.node
  FOR UPDATE OF n;

  IF TG_OP = 'DELETE' THEN
    -- Only updates: removals also run while a task's rows are being deleted, nodes included.
    UPDATE "BoardRankNode" n SET students = n.students + c.students
    FROM unnest(changes) c
    WHERE n."taskId" = c."taskId" AND n.split = c.split AND n.node = c.node;
  ELSE
    INSERT INTO "BoardRankNode" ("taskId", split, node, students)
    SELECT c."taskId", c.split, c.node, c.students FROM unnest(changes) c
    ORDER BY c."taskId", c.split, c.node
    ON CONFLICT ("taskId", split, node) DO UPDATE SET students = "BoardRankNode".students + EXCLUDED.students;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "BestScore_board_rank_tree_insert" AFTER INSERT ON "BestScore"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION mljudge_board_rank_tree();
CREATE TRIGGER "BestScore_board_rank_tree_update" AFTER UPDATE ON "BestScore"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION mljudge_board_rank_tree();
CREATE TRIGGER "BestScore_board_rank_tree_delete" AFTER DELETE ON "BestScore"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION mljudge_board_rank_tree();

-- The boards that exist already.
INSERT INTO "BoardRankNode" ("taskId", split, node, students)
SELECT "taskId", split, node, count(*)
FROM "BestScore", unnest(mljudge_rank_path(mljudge_rank_bucket("sortKey"))) AS node
GROUP BY "taskId", split, node;
