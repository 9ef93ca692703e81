/** Rescoring runs: every submission of a task scored again, the replaced scores kept in history. */
import { prismaOf, type Database } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';
import { recordAudit } from './audit.ts';

/**
 * Starts a rescoring run: in one transaction, copies the current scores to history, puts every
 * finished submission of the task back to QUEUED and clears the public summary. The caller then
 * enqueues the submissions; if it dies first, the workers' recovery sweep does it. Running it again
 * simply queues everything again, so a run can always be resumed by repeating it.
 */
export async function startRescore(database: Database, taskId: string, actorId: string, reason: string) {
  return prismaOf(database).$transaction(async (tx) => {
    const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
    await tx.$executeRaw`
      INSERT INTO "ScoreHistory" (id, "submissionId", split, value, metrics, "scorerVersion", "taskVersion", reason)
      SELECT gen_random_uuid(), sc."submissionId", sc.split, sc.value, sc.metrics, sc."scorerVersion", sc."taskVersion", ${reason}
      FROM "Score" sc JOIN "Submission" s ON s.id = sc."submissionId"
      WHERE s."taskId" = ${taskId}::uuid`;
    await tx.$executeRaw`DELETE FROM "Score" sc USING "Submission" s WHERE s.id = sc."submissionId" AND s."taskId" = ${taskId}::uuid`;
    await tx.bestScore.deleteMany({ where: { taskId } });
    // RUNNING ones too: a worker that claimed one before this run may be scoring with the old data; once
    // the row is QUEUED again its guarded commit fails, and the submission is scored afresh. Earlier
    // interruptions belong to the old run.
    const requeued = await tx.submission.updateMany({
      where: { taskId, status: { in: ['SCORED', 'REJECTED', 'FAILED', 'RUNNING'] } },
      data: { status: 'QUEUED', errorCode: null, errorDetail: Prisma.DbNull, finishedAt: null, interruptions: 0 },
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
export async function rescoreProgress(database: Database, taskId: string) {
  const db = prismaOf(database);
  const run = await db.rescoreRun.findFirst({ where: { taskId }, orderBy: { createdAt: 'desc' } });
  if (!run) return null;
  const pending = await db.submission.count({ where: { taskId, status: { in: ['QUEUED', 'RUNNING'] } } });
  return { run, pending, done: run.submissions - Math.min(pending, run.submissions) };
}
