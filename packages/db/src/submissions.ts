/**
 * Submission lifecycle in Postgres, the source of truth: QUEUED -> RUNNING -> SCORED | REJECTED | FAILED.
 * Every transition is guarded (it names the state it leaves and, for a worker, the attempt it claimed),
 * so a job that runs twice after a crash or a stalled lock commits its result at most once. A QUEUED
 * row is also the outbox of the queue: whatever Redis loses, the workers' sweep enqueues again.
 */
import { prismaOf, type Database } from './client.ts';
import type { Score, ScoreHistory, Submission, SubmissionStatus } from './generated/prisma/client.ts';
import { planDeliveries } from './webhooks.ts';

/** A submission as the API shows it: the row, its scores and the scores a rescoring replaced. */
export type SubmissionWithScores = Submission & { readonly scores: Score[]; readonly history: ScoreHistory[] };

export interface SubmissionContext {
  /** Submissions of this student on this task that use quota since `dayStart`. */
  readonly used: number;
  /** Bytes of this student's rejected uploads (any task) since `dayStart`. */
  readonly rejectedBytes: number;
  readonly override: { readonly extraDailySubmissions: number; readonly deadline: Date | null } | null;
  /** The submission the upload's Idempotency-Key already names (a retry), if any. */
  readonly earlierSubmissionId: string | null;
}

/** Everything the upload path decides before reading the body, in one round trip. */
export async function submissionContext(
  database: Database,
  taskId: string,
  userId: string,
  dayStart: Date,
  idempotencyKey?: string,
): Promise<SubmissionContext> {
  const [row] = await prismaOf(database).$queryRaw<
    Array<{
      used: number;
      rejectedBytes: bigint;
      extra: number | null;
      deadline: Date | null;
      hasOverride: boolean;
      earlier: string | null;
    }>
  >`
    SELECT
      (SELECT count(*)::int FROM "Submission" s
        WHERE s."userId" = ${userId}::uuid AND s."taskId" = ${taskId}::uuid AND s."createdAt" >= ${dayStart}
          AND s.status IN ('QUEUED', 'RUNNING', 'SCORED')) AS used,
      (SELECT COALESCE(sum(s."artifactBytes"), 0) FROM "Submission" s
        WHERE s."userId" = ${userId}::uuid AND s."createdAt" >= ${dayStart} AND s.status = 'REJECTED') AS "rejectedBytes",
      (SELECT s.id FROM "Submission" s
        WHERE s."userId" = ${userId}::uuid AND s."taskId" = ${taskId}::uuid
          AND s."idempotencyKey" = ${idempotencyKey ?? null}::text) AS earlier,
      o."extraDailySubmissions" AS extra, o.deadline, o."taskId" IS NOT NULL AS "hasOverride"
    FROM (SELECT 1) one
    LEFT JOIN "TaskOverride" o ON o."taskId" = ${taskId}::uuid AND o."userId" = ${userId}::uuid`;
  return {
    used: row!.used,
    rejectedBytes: Number(row!.rejectedBytes),
    override: row!.hasOverride ? { extraDailySubmissions: row!.extra ?? 0, deadline: row!.deadline } : null,
    earlierSubmissionId: row!.earlier,
  };
}

export interface NewSubmission {
  readonly id: string;
  readonly taskId: string;
  readonly userId: string;
  readonly artifactKey: string;
  readonly artifactSha256: string;
  readonly artifactBytes: number;
  readonly originalName: string;
  readonly message?: string | undefined;
  readonly idempotencyKey?: string | undefined;
  readonly taskVersion: number;
  readonly late?: boolean;
  /** The API's clock, so quota days and deadlines are judged on the same time as the upload. */
  readonly createdAt: Date;
}

export interface QuotaRule {
  /** Start of the student's current quota day, as an instant. */
  readonly dayStart: Date;
  readonly limit: number;
}

export type CreateOutcome =
  | { readonly kind: 'created'; readonly submission: SubmissionWithScores; readonly used: number }
  | { readonly kind: 'duplicate'; readonly submissionId: string; readonly artifactSha256: string }
  | { readonly kind: 'quota-exceeded'; readonly used: number };

/**
 * Inserts a submission unless the idempotency key was used already or the quota is spent: one round
 * trip to a database function that takes the per-(student, task) advisory lock, then checks and
 * inserts, so N concurrent uploads can never exceed the quota. The answer is built from what was
 * inserted; nothing is read back.
 */
export async function createSubmissionWithinQuota(
  database: Database,
  input: NewSubmission,
  quota: QuotaRule,
): Promise<CreateOutcome> {
  const [row] = await prismaOf(database).$queryRaw<
    Array<{
      outcome: 'created' | 'duplicate' | 'quota-exceeded';
      submission_id: string | null;
      used: number | null;
      artifact_sha256: string | null;
    }>
  >`
    SELECT * FROM mljudge_create_submission(
      ${input.id}::uuid, ${input.taskId}::uuid, ${input.userId}::uuid, ${input.artifactKey}, ${input.artifactSha256},
      ${input.artifactBytes}::int, ${input.originalName}, ${input.message ?? null}, ${input.idempotencyKey ?? null},
      ${input.taskVersion}::int, ${input.late ?? false}, ${input.createdAt}::timestamptz, ${quota.dayStart}::timestamptz,
      ${quota.limit}::int)`;
  if (!row) throw new Error('mljudge_create_submission returned nothing');
  if (row.outcome === 'duplicate')
    return { kind: 'duplicate', submissionId: row.submission_id!, artifactSha256: row.artifact_sha256! };
  if (row.outcome === 'quota-exceeded') return { kind: 'quota-exceeded', used: row.used! };
  const submission: SubmissionWithScores = {
    id: input.id,
    taskId: input.taskId,
    userId: input.userId,
    status: 'QUEUED',
    artifactKey: input.artifactKey,
    artifactSha256: input.artifactSha256,
    artifactBytes: input.artifactBytes,
    originalName: input.originalName,
    message: input.message ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    errorCode: null,
    errorDetail: null,
    scorerVersion: null,
    taskVersion: input.taskVersion,
    attempts: 0,
    interruptions: 0,
    scoringMs: null,
    selected: false,
    late: input.late ?? false,
    runInfo: null,
    artifactPurgedAt: null,
    createdAt: input.createdAt,
    startedAt: null,
    finishedAt: null,
    scores: [],
    history: [],
  };
  return { kind: 'created', submission, used: row.used! };
}

/** The status of a submission, or null when there is none. */
export async function submissionStatus(database: Database, id: string): Promise<SubmissionStatus | null> {
  const row = await prismaOf(database).submission.findUnique({ where: { id }, select: { status: true } });
  return row?.status ?? null;
}

export interface ClaimedSubmission {
  readonly id: string;
  readonly taskId: string;
  readonly userId: string;
  readonly artifactKey: string;
  readonly attempt: number;
  /** Earlier attempts that stopped mid-way (a killed or stalled worker), this one not counted. */
  readonly interruptions: number;
  readonly createdAt: Date;
  /** The task's current version: with taskId it names the task row a worker may have cached. */
  readonly taskVersion: number;
}

/**
 * Moves a QUEUED (or interrupted RUNNING) submission to RUNNING and returns the attempt number this
 * worker owns; null when it is already finished, in which case the job has nothing left to do. A row
 * still RUNNING means the attempt before this one never finished: that is counted.
 */
export async function claimSubmission(database: Database, id: string): Promise<ClaimedSubmission | null> {
  const rows = await prismaOf(database).$queryRaw<
    Array<{
      id: string;
      taskId: string;
      userId: string;
      artifactKey: string;
      attempts: number;
      interruptions: number;
      createdAt: Date;
      taskVersion: number;
    }>
  >`
    UPDATE "Submission" s SET status = 'RUNNING', attempts = s.attempts + 1, "startedAt" = now(),
      interruptions = s.interruptions + CASE WHEN s.status = 'RUNNING' THEN 1 ELSE 0 END
    FROM "Task" t
    WHERE s.id = ${id}::uuid AND s.status IN ('QUEUED', 'RUNNING') AND t.id = s."taskId"
    RETURNING s.id, s."taskId", s."userId", s."artifactKey", s.attempts, s.interruptions, s."createdAt",
      t.version AS "taskVersion"`;
  const row = rows[0];
  return row
    ? {
        id: row.id,
        taskId: row.taskId,
        userId: row.userId,
        artifactKey: row.artifactKey,
        attempt: row.attempts,
        interruptions: row.interruptions,
        createdAt: row.createdAt,
        taskVersion: row.taskVersion,
      }
    : null;
}

/**
 * Hands a claimed submission back (RUNNING of this attempt -> QUEUED) after a failure on our side that
 * will be retried, so the next claim can tell a handled failure from a crash.
 */
export async function releaseSubmission(database: Database, id: string, attempt: number): Promise<boolean> {
  const { count } = await prismaOf(database).submission.updateMany({
    where: { id, status: 'RUNNING', attempts: attempt },
    data: { status: 'QUEUED' },
  });
  return count === 1;
}

export interface SplitResult {
  readonly split: 'PUBLIC' | 'PRIVATE';
  readonly value: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface ScoredResult {
  readonly submissionId: string;
  readonly attempt: number;
  readonly scorerVersion: string;
  readonly taskVersion: number;
  readonly scoringMs: number;
  readonly splits: readonly SplitResult[];
  /** Model submissions: how the model ran. */
  readonly runInfo?: object;
}

/** What a worker's commit did: the webhook deliveries it planned, for the worker to enqueue. */
export interface Committed {
  readonly deliveries: readonly string[];
}

/**
 * Records scores and the best-per-student row, marks the submission SCORED and plans its webhook
 * deliveries, in one round trip (the SQL function mljudge_record_scores). Returns null, and changes
 * nothing, when this attempt no longer owns the submission (another attempt or a rescoring won).
 */
export async function recordScores(database: Database, result: ScoredResult): Promise<Committed | null> {
  const splits = result.splits.map((split) => ({ split: split.split, value: split.value, metrics: split.metrics }));
  const rows = await prismaOf(database).$queryRaw<Array<{ recorded: boolean; deliveries: string[] }>>`
    SELECT recorded, deliveries FROM mljudge_record_scores(
      ${result.submissionId}::uuid, ${result.attempt}::integer, ${result.scorerVersion}::text,
      ${result.taskVersion}::integer, ${result.scoringMs}::integer,
      ${result.runInfo ? JSON.stringify(result.runInfo) : null}::jsonb, ${JSON.stringify(splits)}::jsonb)`;
  const row = rows[0]!;
  return row.recorded ? { deliveries: row.deliveries } : null;
}

/** Marks a submission REJECTED (the student's file cannot be scored). Guarded like recordScores. */
export async function rejectSubmission(
  database: Database,
  id: string,
  attempt: number,
  errorCode: string,
  errorDetail: object,
  scoringMs: number,
): Promise<Committed | null> {
  return prismaOf(database).$transaction(async (tx) => {
    const { count } = await tx.submission.updateMany({
      where: { id, status: 'RUNNING', attempts: attempt },
      data: { status: 'REJECTED', errorCode, errorDetail, finishedAt: new Date(), scoringMs },
    });
    if (count !== 1) return null;
    return { deliveries: await planDeliveries(tx, id, 'submission.rejected') };
  });
}

/**
 * Marks an unfinished submission FAILED (a problem on our side, not the student's): it uses no quota.
 * Returns whose it was, or null when it was finished already.
 */
export async function failSubmission(
  database: Database,
  id: string,
  errorCode: string,
  errorDetail: object,
): Promise<{ taskId: string; userId: string } | null> {
  const rows = await prismaOf(database).$queryRaw<Array<{ taskId: string; userId: string }>>`
    UPDATE "Submission" SET status = 'FAILED', "errorCode" = ${errorCode}, "errorDetail" = ${JSON.stringify(errorDetail)}::jsonb,
      "finishedAt" = now()
    WHERE id = ${id}::uuid AND status IN ('QUEUED', 'RUNNING')
    RETURNING "taskId", "userId"`;
  return rows[0] ?? null;
}

/** Submissions not finished yet, oldest first, with their task's format (which decides the queue). */
export async function listUnfinished(
  database: Database,
  limit: number,
): Promise<Array<{ id: string; status: SubmissionStatus; format: string }>> {
  const rows = await prismaOf(database).submission.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] } },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, status: true, task: { select: { format: true } } },
  });
  return rows.map((row) => ({ id: row.id, status: row.status, format: row.task.format }));
}

/** A submission with its scores, its history and the facts of its task the views need. */
export async function findSubmission(database: Database, id: string) {
  return prismaOf(database).submission.findUnique({
    where: { id },
    include: {
      scores: true,
      history: { orderBy: { replacedAt: 'asc' } },
      task: { select: { id: true, slug: true, courseId: true, version: true, config: true } },
    },
  });
}

/** One student's submissions on a task, newest first. */
export async function listSubmissions(
  database: Database,
  taskId: string,
  userId: string,
  limit = 100,
): Promise<SubmissionWithScores[]> {
  return prismaOf(database).submission.findMany({
    where: { taskId, userId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    include: { scores: true, history: { orderBy: { replacedAt: 'asc' } } },
  });
}
