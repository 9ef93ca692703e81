-- The webhook deliveries a finished submission needs: course hooks whose owner is staff of the course
-- now, and the submitter's own hooks (never for a rejected upload, which costs nothing and so must
-- not be a free way to make the server send requests). Idempotent per (webhook, submission, event);
-- returns the deliveries it created.
CREATE OR REPLACE FUNCTION mljudge_plan_deliveries(p_submission uuid, p_event text)
RETURNS SETOF uuid
LANGUAGE sql VOLATILE AS $$
  INSERT INTO "WebhookDelivery" (id, "webhookId", "submissionId", event, payload)
  SELECT gen_random_uuid(), w.id, s.id, p_event, '{}'::jsonb
  FROM "Submission" s
  JOIN "Task" t ON t.id = s."taskId"
  JOIN "Webhook" w ON w."courseId" = t."courseId"
  JOIN "Membership" m ON m."courseId" = t."courseId" AND m."userId" = w."ownerId"
  WHERE s.id = p_submission AND w."disabledAt" IS NULL AND p_event = ANY(w.events)
    AND (
      (w.scope = 'COURSE' AND m.role IN ('TA', 'ADMIN'))
      OR (w.scope = 'OWN' AND w."ownerId" = s."userId" AND p_event <> 'submission.rejected')
    )
  ON CONFLICT ("webhookId", "submissionId", event) DO NOTHING
  RETURNING id
$$;

-- A worker's commit of a scored submission, in one round trip: the guarded RUNNING -> SCORED
-- transition (only the attempt that claimed it may commit), its scores per split, the student's best
-- public score on the board summary (late work is never ranked; an earlier submission wins a tie),
-- and the webhook deliveries. p_splits is [{"split": "PUBLIC"|"PRIVATE", "value": n, "metrics": {}}].
-- Returns recorded = false, and changes nothing, when this attempt no longer owns the submission.
CREATE OR REPLACE FUNCTION mljudge_record_scores(
  p_submission uuid, p_attempt integer, p_scorer_version text, p_task_version integer, p_scoring_ms integer,
  p_run_info jsonb, p_splits jsonb)
RETURNS TABLE (recorded boolean, deliveries uuid[])
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_task uuid;
  v_user uuid;
  v_created timestamptz;
  v_higher boolean;
  v_late boolean;
  v_split jsonb;
  v_value double precision;
  v_sort double precision;
BEGIN
  UPDATE "Submission" s SET status = 'SCORED', "finishedAt" = now(), "scorerVersion" = p_scorer_version,
    "scoringMs" = p_scoring_ms, "errorCode" = NULL, "errorDetail" = NULL, "runInfo" = p_run_info
  FROM "Task" t
  WHERE s.id = p_submission AND s.status = 'RUNNING' AND s.attempts = p_attempt AND t.id = s."taskId"
  RETURNING s."taskId", s."userId", s."createdAt", t.direction = 'HIGHER', s.late
    INTO v_task, v_user, v_created, v_higher, v_late;
  IF NOT FOUND THEN
    RETURN QUERY SELECT false, ARRAY[]::uuid[];
    RETURN;
  END IF;
  FOR v_split IN SELECT value FROM jsonb_array_elements(p_splits) LOOP
    v_value := (v_split->>'value')::double precision;
    INSERT INTO "Score" ("submissionId", split, value, metrics, "scorerVersion", "taskVersion")
    VALUES (p_submission, (v_split->>'split')::"Split", v_value, v_split->'metrics', p_scorer_version, p_task_version)
    ON CONFLICT ("submissionId", split) DO UPDATE SET value = EXCLUDED.value, metrics = EXCLUDED.metrics,
      "scorerVersion" = EXCLUDED."scorerVersion", "taskVersion" = EXCLUDED."taskVersion";
    -- The summary serves the public board only: the private board depends on the student's final
    -- selection and is computed when asked for.
    CONTINUE WHEN v_split->>'split' <> 'PUBLIC' OR v_late;
    v_sort := CASE WHEN v_higher THEN -v_value ELSE v_value END;
    INSERT INTO "BestScore" ("taskId", split, "userId", "submissionId", value, "sortKey", "submittedAt", "scoredCount", "updatedAt")
    VALUES (v_task, 'PUBLIC', v_user, p_submission, v_value, v_sort, v_created, 1, now())
    ON CONFLICT ("taskId", split, "userId") DO UPDATE SET
      "scoredCount" = "BestScore"."scoredCount" + 1,
      "updatedAt" = now(),
      "submissionId" = CASE WHEN (EXCLUDED."sortKey", EXCLUDED."submittedAt") < ("BestScore"."sortKey", "BestScore"."submittedAt")
                            THEN EXCLUDED."submissionId" ELSE "BestScore"."submissionId" END,
      value = CASE WHEN (EXCLUDED."sortKey", EXCLUDED."submittedAt") < ("BestScore"."sortKey", "BestScore"."submittedAt")
                   THEN EXCLUDED.value ELSE "BestScore".value END,
      "submittedAt" = CASE WHEN (EXCLUDED."sortKey", EXCLUDED."submittedAt") < ("BestScore"."sortKey", "BestScore"."submittedAt")
                           THEN EXCLUDED."submittedAt" ELSE "BestScore"."submittedAt" END,
      "sortKey" = LEAST(EXCLUDED."sortKey", "BestScore"."sortKey");
  END LOOP;
  RETURN QUERY SELECT true, coalesce(array_agg(d), ARRAY[]::uuid[]) FROM mljudge_plan_deliveries(p_submission, 'submission.scored') d;
END
$$;
