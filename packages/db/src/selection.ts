/** Final selection for the private board (Kaggle's "select up to N submissions"). */
import { prismaOf, type Database } from './client.ts';

export type SelectionOutcome =
  | { readonly kind: 'ok'; readonly selectedCount: number }
  | { readonly kind: 'not-found' | 'not-scored' | 'late' | 'limit-reached' };

/** The facts a selection request is judged by: whose submission, of which task, and its state. */
export async function findSubmissionForSelection(database: Database, id: string) {
  return prismaOf(database).submission.findUnique({
    where: { id },
    select: {
      id: true,
      userId: true,
      taskId: true,
      status: true,
      late: true,
      task: { select: { config: true, id: true, version: true } },
    },
  });
}

/**
 * Marks or unmarks a submission for the private board. The per-(student, task) advisory lock makes the
 * limit check atomic, like the quota; the answer carries how many are selected now.
 */
export async function setSelection(
  database: Database,
  submissionId: string,
  userId: string,
  selected: boolean,
  limit: number,
): Promise<SelectionOutcome> {
  return prismaOf(database).$transaction(async (tx) => {
    const submission = await tx.submission.findUnique({ where: { id: submissionId } });
    if (!submission || submission.userId !== userId) return { kind: 'not-found' };
    await tx.$executeRaw`SELECT mljudge_lock_submissions(${userId}::uuid, ${submission.taskId}::uuid)`;
    const others = await tx.submission.count({
      where: { userId, taskId: submission.taskId, selected: true, id: { not: submissionId } },
    });
    if (selected) {
      if (submission.status !== 'SCORED') return { kind: 'not-scored' };
      if (submission.late) return { kind: 'late' };
      if (others >= limit) return { kind: 'limit-reached' };
    }
    await tx.submission.update({ where: { id: submissionId }, data: { selected } });
    return { kind: 'ok', selectedCount: others + (selected ? 1 : 0) };
  });
}
