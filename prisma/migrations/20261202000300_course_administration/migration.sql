-- A task a TA pushed by mistake is hidden (students neither see it nor submit, and it leaves the
-- gradebook); a finished one can be archived (read-only: boards and files stay, no more uploads).
ALTER TABLE "Task" ADD COLUMN "hiddenAt" TIMESTAMPTZ(3);
ALTER TABLE "Task" ADD COLUMN "archivedAt" TIMESTAMPTZ(3);

-- A student removed from a course keeps their submissions for the record but leaves the boards: their
-- BestScore rows are deleted. Added back, this rebuilds them from the scores, with the same rules as
-- mljudge_record_scores (public split, never late work, an earlier submission wins a tie).
CREATE OR REPLACE FUNCTION mljudge_rebuild_best_scores(p_course uuid, p_user uuid) RETURNS integer
LANGUAGE sql VOLATILE AS $$
  WITH scored AS (
    SELECT s."taskId", s.id, s."createdAt", sc.value,
           CASE WHEN t.direction = 'HIGHER' THEN -sc.value ELSE sc.value END AS sort_key,
           count(*) OVER (PARTITION BY s."taskId") AS scored_count
    FROM "Submission" s
    JOIN "Task" t ON t.id = s."taskId"
    JOIN "Score" sc ON sc."submissionId" = s.id AND sc.split = 'PUBLIC'
    WHERE t."courseId" = p_course AND s."userId" = p_user AND s.status = 'SCORED' AND NOT s.late
  ), best AS (
    SELECT DISTINCT ON ("taskId") * FROM scored ORDER BY "taskId", sort_key, "createdAt", id
  ), inserted AS (
    INSERT INTO "BestScore" ("taskId", split, "userId", "submissionId", value, "sortKey", "submittedAt", "scoredCount", "updatedAt")
    SELECT "taskId", 'PUBLIC', p_user, id, value, sort_key, "createdAt", scored_count, now() FROM best
    ON CONFLICT ("taskId", split, "userId") DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::integer FROM inserted
$$;

-- Changes made with the server-side admin command have no signed-in actor.
ALTER TABLE "AuditEvent" ALTER COLUMN "actorId" DROP NOT NULL;
