/** A TA's exceptions for one student on one task (more submissions a day, a later deadline), audited. */
import { prismaOf, type Database } from './client.ts';
import { recordAudit } from './audit.ts';

export interface OverrideInput {
  readonly taskId: string;
  readonly userId: string;
  readonly extraDailySubmissions: number;
  readonly deadline: Date | null;
  readonly reason: string;
  readonly actorId: string;
  readonly courseId: string;
}

export interface OverrideRecord {
  readonly email: string;
  readonly extraDailySubmissions: number;
  readonly deadline: Date | null;
  readonly reason: string;
  readonly updatedAt: Date;
}

/** Creates or replaces a student's override and records who did it. */
export async function saveOverride(database: Database, input: OverrideInput) {
  return prismaOf(database).$transaction(async (tx) => {
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

/** One student's override on a task, or null. */
export async function findOverride(database: Database, taskId: string, userId: string) {
  return prismaOf(database).taskOverride.findUnique({ where: { taskId_userId: { taskId, userId } } });
}

/** Every override on a task, by student email. */
export async function listOverrides(database: Database, taskId: string): Promise<OverrideRecord[]> {
  const rows = await prismaOf(database).taskOverride.findMany({
    where: { taskId },
    include: { user: { select: { email: true } } },
    orderBy: { user: { email: 'asc' } },
  });
  return rows.map((row) => ({
    email: row.user.email,
    extraDailySubmissions: row.extraDailySubmissions,
    deadline: row.deadline,
    reason: row.reason,
    updatedAt: row.updatedAt,
  }));
}

/** The deadlines a TA moved for one student, by task id (their task list shows them). */
export async function extendedDeadlinesOf(database: Database, userId: string): Promise<Map<string, Date>> {
  const rows = await prismaOf(database).taskOverride.findMany({
    where: { userId, deadline: { not: null } },
    select: { taskId: true, deadline: true },
  });
  return new Map(rows.map((row) => [row.taskId, row.deadline!]));
}
