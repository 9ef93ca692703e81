-- One student's submissions to one task are changed under this transaction-scoped lock: the quota
-- check and insert, and the final-selection limit.
CREATE OR REPLACE FUNCTION mljudge_lock_submissions(p_user uuid, p_task uuid) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('submit:' || p_user::text || ':' || p_task::text, 0))
$$;

-- The upload path's one write, in one round trip: take that lock, return the submission an
-- Idempotency-Key already names, refuse past the daily quota, or insert. Each statement of a VOLATILE
-- plpgsql function reads a fresh snapshot, so the count after the lock sees every upload committed
-- before it.
CREATE OR REPLACE FUNCTION mljudge_create_submission(
  p_id uuid, p_task uuid, p_user uuid, p_artifact_key text, p_sha256 text, p_bytes integer,
  p_original_name text, p_message text, p_idempotency_key text, p_task_version integer, p_late boolean,
  p_created_at timestamptz, p_day_start timestamptz, p_limit integer)
RETURNS TABLE (outcome text, submission_id uuid, used integer, artifact_sha256 text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_existing_id uuid;
  v_existing_sha text;
  v_used integer;
BEGIN
  PERFORM mljudge_lock_submissions(p_user, p_task);
  IF p_idempotency_key IS NOT NULL THEN
    SELECT s.id, s."artifactSha256" INTO v_existing_id, v_existing_sha FROM "Submission" s
      WHERE s."userId" = p_user AND s."taskId" = p_task AND s."idempotencyKey" = p_idempotency_key;
    IF FOUND THEN
      RETURN QUERY SELECT 'duplicate'::text, v_existing_id, NULL::integer, v_existing_sha;
      RETURN;
    END IF;
  END IF;
  SELECT count(*)::integer INTO v_used FROM "Submission" s
    WHERE s."userId" = p_user AND s."taskId" = p_task AND s."createdAt" >= p_day_start
      AND s.status IN ('QUEUED', 'RUNNING', 'SCORED');
  IF v_used >= p_limit THEN
    RETURN QUERY SELECT 'quota-exceeded'::text, NULL::uuid, v_used, NULL::text;
    RETURN;
  END IF;
  INSERT INTO "Submission" (id, "taskId", "userId", status, "artifactKey", "artifactSha256", "artifactBytes",
                            "originalName", message, "idempotencyKey", "taskVersion", late, "createdAt")
  VALUES (p_id, p_task, p_user, 'QUEUED', p_artifact_key, p_sha256, p_bytes,
          p_original_name, p_message, p_idempotency_key, p_task_version, p_late, p_created_at);
  RETURN QUERY SELECT 'created'::text, p_id, v_used + 1, p_sha256;
END
$$;
