/**
 * Writes behind the course rules: final selection, per-student overrides (audited), and rescoring runs
 * that keep the replaced scores in history.
 */
import type { Database, DbOrTx } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';

export async function recordAudit(
  db: DbOrTx,
  courseId: string,
  actorId: string,
  action: string,
  details: Prisma.InputJsonValue,
): Promise<void> {
  await db.auditEvent.create({ data: { courseId, actorId, action, details } });
}

export type SelectionOutcome = 'ok' | 'not-found' | 'not-scored' | 'late' | 'limit-reached';

/**
 * Marks or unmarks a submission for the private board. The per-(student, task) advisory lock makes the
 * limit check atomic, like the quota.
 */
export async function setSelection(
  db: Database,
  submissionId: string,
  userId: string,
  selected: boolean,
  limit: number,
): Promise<SelectionOutcome> {
  return db.$transaction(async (tx) => {
    const submission = await tx.submission.findUnique({ where: { id: submissionId } });
    if (!submission || submission.userId !== userId) return 'not-found';
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`submit:${userId}:${submission.taskId}`}, 0))`;
    if (selected) {
      if (submission.status !== 'SCORED') return 'not-scored';
      if (submission.late) return 'late';
      const already = await tx.submission.count({
        where: { userId, taskId: submission.taskId, selected: true, id: { not: submissionId } },
      });
      if (already >= limit) return 'limit-reached';
    }
    await tx.submission.update({ where: { id: submissionId }, data: { selected } });
    return 'ok';
  });
}

export interface OverrideInput {
  readonly taskId: string;
  readonly userId: string;
  readonly extraDailySubmissions: number;
  readonly deadline: Date | null;
  readonly reason: string;
  readonly actorId: string;
  readonly courseId: string;
}

/** Creates or replaces a student's override and records who did it. */
export async function saveOverride(db: Database, input: OverrideInput) {
  return db.$transaction(async (tx) => {
    const data = {
      extraDailySubmissions: input.extraDailySubmissions,
      deadline: input.deadline,
      reason: input.reason,
      createdById: input.actorId,
    };
    const override = await tx.taskOverride.upsert({
      where: { taskId_userId: { taskId: input.taskId, userId: input.userId } },
      create: { taskId: input.taskId, userId: input.userId, ...data },
      update: data,
    });
    await recordAudit(tx, input.courseId, input.actorId, 'override.saved', {
      taskId: input.taskId,
      userId: input.userId,
      extraDailySubmissions: input.extraDailySubmissions,
      deadline: input.deadline?.toISOString() ?? null,
      reason: input.reason,
    });
    return override;
  });
}

export async function findOverride(db: DbOrTx, taskId: string, userId: string) {
  return db.taskOverride.findUnique({ where: { taskId_userId: { taskId, userId } } });
}

/**
 * Starts a rescoring run: in one transaction, copies the current scores to history, puts every
 * finished submission of the task back to QUEUED and clears the public summary. The caller then
 * enqueues the submissions; if it dies first, the workers' recovery sweep does it. Running it again
 * simply queues everything again, so a run can always be resumed by repeating it.
 */
export async function startRescore(db: Database, taskId: string, actorId: string, reason: string) {
  return db.$transaction(async (tx) => {
    const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
    await tx.$executeRaw`
      INSERT INTO "ScoreHistory" (id, "submissionId", split, value, metrics, "scorerVersion", "taskVersion", reason)
      SELECT gen_random_uuid(), sc."submissionId", sc.split, sc.value, sc.metrics, sc."scorerVersion", sc."taskVersion", ${reason}
      FROM "Score" sc JOIN "Submission" s ON s.id = sc."submissionId"
      WHERE s."taskId" = ${taskId}::uuid`;
    await tx.$executeRaw`DELETE FROM "Score" sc USING "Submission" s WHERE s.id = sc."submissionId" AND s."taskId" = ${taskId}::uuid`;
    await tx.bestScore.deleteMany({ where: { taskId } });
    // RUNNING ones too: a worker that claimed one before this run may be scoring with the old data; once
    // the row is QUEUED again its guarded commit fails, and the submission is scored afresh.
    const requeued = await tx.submission.updateMany({
      where: { taskId, status: { in: ['SCORED', 'REJECTED', 'FAILED', 'RUNNING'] } },
      data: { status: 'QUEUED', errorCode: null, errorDetail: Prisma.DbNull, finishedAt: null },
    });
    const run = await tx.rescoreRun.create({
      data: { taskId, requestedById: actorId, taskVersion: task.version, reason, submissions: requeued.count },
    });
    await recordAudit(tx, task.courseId, actorId, 'task.rescored', {
      taskId,
      reason,
      submissions: requeued.count,
      taskVersion: task.version,
    });
    const ids = await tx.submission.findMany({
      where: { taskId, status: { in: ['QUEUED', 'RUNNING'] } },
      select: { id: true },
    });
    return { run, submissionIds: ids.map((row) => row.id) };
  });
}

/** How far the latest rescoring of a task has got. */
export async function rescoreProgress(db: DbOrTx, taskId: string) {
  const run = await db.rescoreRun.findFirst({ where: { taskId }, orderBy: { createdAt: 'desc' } });
  if (!run) return null;
  const pending = await db.submission.count({ where: { taskId, status: { in: ['QUEUED', 'RUNNING'] } } });
  return { run, pending, done: run.submissions - Math.min(pending, run.submissions) };
}
