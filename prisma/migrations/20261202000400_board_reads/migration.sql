-- Board reads at course scale (100,000 students, 10^6 submissions) without depending on fresh
-- planner statistics.

-- The board's order is (sortKey, submittedAt, userId): the index now ends with userId, so a page is
-- read off the index in order and never sorted, and "my rank" is one index range.
DROP INDEX IF EXISTS "BestScore_taskId_split_sortKey_submittedAt_idx";
CREATE INDEX "BestScore_taskId_split_sortKey_submittedAt_userId_idx"
  ON "BestScore"("taskId", "split", "sortKey", "submittedAt", "userId");

-- Students on each board, kept by a trigger on BestScore, so that no page counts the board.
CREATE TABLE "BoardSize" (
    "taskId" UUID NOT NULL,
    "split" "Split" NOT NULL,
    "students" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BoardSize_pkey" PRIMARY KEY ("taskId","split")
);
ALTER TABLE "BoardSize" ADD CONSTRAINT "BoardSize_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A student's first score on a board adds one, a removed entry (rescoring, a student leaving the
-- course, a task deleted) takes one away. Updates of an entry change nothing here.
CREATE OR REPLACE FUNCTION mljudge_board_size() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "BoardSize" ("taskId", split, students) VALUES (NEW."taskId", NEW.split, 1)
    ON CONFLICT ("taskId", split) DO UPDATE SET students = "BoardSize".students + 1;
  ELSE
    UPDATE "BoardSize" SET students = students - 1 WHERE "taskId" = OLD."taskId" AND split = OLD.split;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "BestScore_board_size" AFTER INSERT OR DELETE ON "BestScore"
  FOR EACH ROW EXECUTE FUNCTION mljudge_board_size();

INSERT INTO "BoardSize" ("taskId", split, students)
SELECT "taskId", split, count(*) FROM "BestScore" GROUP BY "taskId", split;
