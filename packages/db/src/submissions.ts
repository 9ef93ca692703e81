/**
 * Submission lifecycle in Postgres, the source of truth: QUEUED -> RUNNING -> SCORED | REJECTED | FAILED.
 * Every transition is guarded (it names the state it leaves and, for a worker, the attempt it claimed),
 * so a job that runs twice after a crash or a stalled lock commits its result at most once.
 */
import type { DbOrTx, Database } from './client.ts';
import type { Submission, SubmissionStatus } from './generated/prisma/client.ts';
import { planDeliveries } from './webhooks.ts';

/** Statuses that use daily quota: everything except REJECTED and FAILED. */
export const QUOTA_STATUSES: readonly SubmissionStatus[] = ['QUEUED', 'RUNNING', 'SCORED'];

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
  readonly createdAt?: Date;
}

export interface QuotaRule {
  /** Start of the student's current quota day, as an instant. */
  readonly dayStart: Date;
  readonly limit: number;
}

export type CreateOutcome =
  | { readonly kind: 'created'; readonly submission: Submission; readonly used: number }
  | { readonly kind: 'duplicate'; readonly submission: Submission }
  | { readonly kind: 'quota-exceeded'; readonly used: number };

/** Counts the submissions of one student on one task that use quota since `dayStart`. */
export async function countQuotaUsed(db: DbOrTx, userId: string, taskId: string, dayStart: Date): Promise<number> {
  return db.submission.count({
    where: { userId, taskId, createdAt: { gte: dayStart }, status: { in: [...QUOTA_STATUSES] } },
  });
}

/**
 * Inserts a submission unless the idempotency key was used already or the quota is spent. A
 * transaction-scoped advisory lock per (student, task) makes check-and-insert atomic, so N concurrent
 * uploads can never exceed the quota.
 */
export async function createSubmissionWithinQuota(
  db: Database,
  input: NewSubmission,
  quota: QuotaRule,
): Promise<CreateOutcome> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`submit:${input.userId}:${input.taskId}`}, 0))`;
    if (input.idempotencyKey !== undefined) {
      const existing = await tx.submission.findUnique({
        where: {
          userId_taskId_idempotencyKey: {
            userId: input.userId,
            taskId: input.taskId,
            idempotencyKey: input.idempotencyKey,
          },
        },
      });
      if (existing) return { kind: 'duplicate', submission: existing } as const;
    }
    const used = await countQuotaUsed(tx, input.userId, input.taskId, quota.dayStart);
    if (used >= quota.limit) return { kind: 'quota-exceeded', used } as const;
    const submission = await tx.submission.create({
      data: {
        id: input.id,
        taskId: input.taskId,
        userId: input.userId,
        artifactKey: input.artifactKey,
        artifactSha256: input.artifactSha256,
        artifactBytes: input.artifactBytes,
        originalName: input.originalName,
        message: input.message ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        taskVersion: input.taskVersion,
        late: input.late ?? false,
        ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      },
    });
    return { kind: 'created', submission, used: used + 1 } as const;
  });
}

/** Finds a submission by the client's idempotency key. */
export async function findByIdempotencyKey(
  db: DbOrTx,
  userId: string,
  taskId: string,
  idempotencyKey: string,
): Promise<Submission | null> {
  return db.submission.findUnique({ where: { userId_taskId_idempotencyKey: { userId, taskId, idempotencyKey } } });
}

export interface ClaimedSubmission {
  readonly id: string;
  readonly taskId: string;
  readonly userId: string;
  readonly artifactKey: string;
  readonly attempt: number;
  readonly createdAt: Date;
}

/**
 * Moves a QUEUED (or crashed RUNNING) submission to RUNNING and returns the attempt number this worker
 * owns; null when it is already finished, in which case the job has nothing left to do.
 */
export async function claimSubmission(db: DbOrTx, id: string): Promise<ClaimedSubmission | null> {
  const rows = await db.$queryRaw<
    Array<{ id: string; taskId: string; userId: string; artifactKey: string; attempts: number; createdAt: Date }>
  >`
    UPDATE "Submission" SET status = 'RUNNING', attempts = attempts + 1, "startedAt" = now()
    WHERE id = ${id}::uuid AND status IN ('QUEUED', 'RUNNING')
    RETURNING id, "taskId", "userId", "artifactKey", attempts, "createdAt"`;
  const row = rows[0];
  return row
    ? {
        id: row.id,
        taskId: row.taskId,
        userId: row.userId,
        artifactKey: row.artifactKey,
        attempt: row.attempts,
        createdAt: row.createdAt,
      }
    : null;
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

/**
 * Records scores and the best-per-student rows and marks the submission SCORED, all in one
 * transaction. Returns false (and changes nothing) when another attempt finished it first.
 */
export async function recordScores(db: Database, result: ScoredResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const finished = await tx.$queryRaw<
      Array<{ taskId: string; userId: string; createdAt: Date; direction: 'HIGHER' | 'LOWER'; late: boolean }>
    >`
      UPDATE "Submission" s SET status = 'SCORED', "finishedAt" = now(), "scorerVersion" = ${result.scorerVersion},
        "scoringMs" = ${result.scoringMs}, "errorCode" = NULL, "errorDetail" = NULL,
        "runInfo" = ${result.runInfo ? JSON.stringify(result.runInfo) : null}::jsonb
      FROM "Task" t
      WHERE s.id = ${result.submissionId}::uuid AND s.status = 'RUNNING' AND s.attempts = ${result.attempt} AND t.id = s."taskId"
      RETURNING s."taskId", s."userId", s."createdAt", t.direction, s.late`;
    const submission = finished[0];
    if (!submission) return false;
    await planDeliveries(tx, result.submissionId, 'submission.scored');
    for (const split of result.splits) {
      await tx.score.upsert({
        where: { submissionId_split: { submissionId: result.submissionId, split: split.split } },
        create: {
          submissionId: result.submissionId,
          split: split.split,
          value: split.value,
          metrics: split.metrics,
          scorerVersion: result.scorerVersion,
          taskVersion: result.taskVersion,
        },
        update: {
          value: split.value,
          metrics: split.metrics,
          scorerVersion: result.scorerVersion,
          taskVersion: result.taskVersion,
        },
      });
      // The summary serves the public board only: the private board depends on the student's final
      // selection and is computed when asked for (private-board.ts). Late work is never ranked.
      if (split.split !== 'PUBLIC' || submission.late) continue;
      const sortKey = submission.direction === 'HIGHER' ? -split.value : split.value;
      // Keep the better of the stored best and this score; an earlier submission wins a tie.
      await tx.$executeRaw`
        INSERT INTO "BestScore" ("taskId", split, "userId", "submissionId", value, "sortKey", "submittedAt", "scoredCount", "updatedAt")
        VALUES (${submission.taskId}::uuid, ${split.split}::"Split", ${submission.userId}::uuid, ${result.submissionId}::uuid,
                ${split.value}, ${sortKey}, ${submission.createdAt}, 1, now())
        ON CONFLICT ("taskId", split, "userId") DO UPDATE SET
          "scoredCount" = "BestScore"."scoredCount" + 1,
          "updatedAt" = now(),
          "submissionId" = CASE WHEN (EXCLUDED."sortKey", EXCLUDED."submittedAt") < ("BestScore"."sortKey", "BestScore"."submittedAt")
                                THEN EXCLUDED."submissionId" ELSE "BestScore"."submissionId" END,
          value = CASE WHEN (EXCLUDED."sortKey", EXCLUDED."submittedAt") < ("BestScore"."sortKey", "BestScore"."submittedAt")
                       THEN EXCLUDED.value ELSE "BestScore".value END,
          "submittedAt" = CASE WHEN (EXCLUDED."sortKey", EXCLUDED."submittedAt") < ("BestScore"."sortKey", "BestScore"."submittedAt")
                               THEN EXCLUDED."submittedAt" ELSE "BestScore"."submittedAt" END,
          "sortKey" = LEAST(EXCLUDED."sortKey", "BestScore"."sortKey")`;
    }
    return true;
  });
}

/** Marks a submission REJECTED (the student's file cannot be scored). Guarded like recordScores. */
export async function rejectSubmission(
  db: Database,
  id: string,
  attempt: number,
  errorCode: string,
  errorDetail: object,
  scoringMs: number,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.submission.updateMany({
      where: { id, status: 'RUNNING', attempts: attempt },
      data: { status: 'REJECTED', errorCode, errorDetail, finishedAt: new Date(), scoringMs },
    });
    if (count === 1) await planDeliveries(tx, id, 'submission.rejected');
    return count === 1;
  });
}

/** Marks a submission FAILED after its retries ran out (an infrastructure problem, not the student's). */
export async function failSubmission(db: DbOrTx, id: string, errorCode: string, errorDetail: object): Promise<boolean> {
  const { count } = await db.submission.updateMany({
    where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
    data: { status: 'FAILED', errorCode, errorDetail, finishedAt: new Date() },
  });
  return count === 1;
}

/** Submissions not finished yet, oldest first, with their task's format (which decides the queue). */
export async function listUnfinished(
  db: DbOrTx,
  limit: number,
): Promise<Array<{ id: string; status: SubmissionStatus; format: string }>> {
  const rows = await db.submission.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] } },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, status: true, task: { select: { format: true } } },
  });
  return rows.map((row) => ({ id: row.id, status: row.status, format: row.task.format }));
}

/** A submission with its scores. */
export async function findSubmission(db: DbOrTx, id: string) {
  return db.submission.findUnique({
    where: { id },
    include: {
      scores: true,
      history: { orderBy: { replacedAt: 'asc' } },
      task: { select: { slug: true, courseId: true, direction: true, revealAt: true, deadline: true } },
    },
  });
}

/** One student's submissions on a task, newest first. */
export async function listSubmissions(db: DbOrTx, taskId: string, userId: string, limit = 100) {
  return db.submission.findMany({
    where: { taskId, userId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    include: { scores: true, history: { orderBy: { replacedAt: 'asc' } } },
  });
}
