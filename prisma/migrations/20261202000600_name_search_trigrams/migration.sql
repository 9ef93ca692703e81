-- A board's name search ("contains, any case") read from a trigram index instead of a scan of every
-- user's name (100,000 names: ~130 ms). pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension since PostgreSQL 13: the database's owner may create it. Patterns of fewer than three
-- characters have no trigram to look up and still scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS "User_displayName_trgm_idx" ON "User" USING gin ("displayName" gin_trgm_ops);
