/** Task rows: created from a validated bundle, versioned when a TA replaces the hidden data. */
import { prismaOf, type Database } from './client.ts';
import type { Direction, Prisma, Task } from './generated/prisma/client.ts';
import { recordAudit } from './audit.ts';

/** The columns of a task row, built by the caller from the validated task definition. */
export interface TaskRecordInput {
  readonly courseId: string;
  readonly slug: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly format: string;
  readonly metric: Prisma.InputJsonValue;
  readonly direction: Direction;
  /** The task.yaml document as JSON: the source of every rule, rebuilt and cached by the readers. */
  readonly config: Prisma.InputJsonValue;
  readonly bundleSha256: string;
  readonly dailyQuota: number;
  readonly maxUploadBytes: number;
  readonly opensAt: Date | undefined;
  readonly deadline: Date | undefined;
  readonly revealAt: Date | undefined;
}

/** A task with the slug and time zone of its course. */
export type TaskInCourse = Task & { readonly course: { readonly slug: string; readonly timeZone: string } };

/**
 * Creates the task, or updates it and bumps its version when the bundle changed. `bundleKeyFor` names
 * the storage location of a version; `storeFiles` puts a new version's files there before the row
 * points to them (an unchanged bundle stores nothing).
 */
export async function saveTask(
  database: Database,
  input: TaskRecordInput,
  bundleKeyFor: (taskId: string, version: number) => string,
  taskId: string,
  storeFiles: (bundleKey: string) => Promise<void> = async () => undefined,
): Promise<{ task: Task; created: boolean }> {
  const db = prismaOf(database);
  const existing = await db.task.findUnique({
    where: { courseId_slug: { courseId: input.courseId, slug: input.slug } },
  });
  const fields = {
    title: input.title,
    description: input.description ?? null,
    format: input.format,
    metric: input.metric,
    direction: input.direction,
    config: input.config,
    bundleSha256: input.bundleSha256,
    dailyQuota: input.dailyQuota,
    maxUploadBytes: input.maxUploadBytes,
    opensAt: input.opensAt ?? null,
    deadline: input.deadline ?? null,
    revealAt: input.revealAt ?? null,
  };
  if (!existing) {
    await storeFiles(bundleKeyFor(taskId, 1));
    const task = await db.task.create({
      data: {
        id: taskId,
        courseId: input.courseId,
        slug: input.slug,
        bundleKey: bundleKeyFor(taskId, 1),
        version: 1,
        ...fields,
      },
    });
    return { task, created: true };
  }
  const changed = existing.bundleSha256 !== input.bundleSha256;
  const version = changed ? existing.version + 1 : existing.version;
  if (changed) await storeFiles(bundleKeyFor(existing.id, version));
  const task = await db.task.update({
    where: { id: existing.id },
    data: { ...fields, version, bundleKey: changed ? bundleKeyFor(existing.id, version) : existing.bundleKey },
  });
  return { task, created: false };
}

/** The tasks of this slug in the given courses (one, unless two courses share a slug). */
export async function findTaskInCourses(
  database: Database,
  slug: string,
  courseIds: readonly string[],
): Promise<TaskInCourse[]> {
  return prismaOf(database).task.findMany({
    where: { slug, courseId: { in: [...courseIds] } },
    include: { course: { select: { slug: true, timeZone: true } } },
  });
}

export async function findTaskById(database: Database, id: string): Promise<TaskInCourse | null> {
  return prismaOf(database).task.findUnique({
    where: { id },
    include: { course: { select: { slug: true, timeZone: true } } },
  });
}

/**
 * Live file tasks a worker should have decoded before their jobs come: not archived, deadline ahead
 * or within the last day (late work, rescoring), the nearest deadline first (a deadline rush), then
 * tasks without one. At most `limit`, the size of a scoring thread's task cache.
 */
export async function liveFileTasks(database: Database, now: Date, limit: number): Promise<Task[]> {
  return prismaOf(database).task.findMany({
    where: {
      format: { in: ['csv', 'text'] },
      archivedAt: null,
      OR: [{ deadline: null }, { deadline: { gt: new Date(now.getTime() - 86_400_000) } }],
    },
    orderBy: [{ deadline: { sort: 'asc', nulls: 'last' } }, { createdAt: 'desc' }],
    take: limit,
  });
}

/** The tasks of the given courses, by deadline then slug. */
export async function listTasks(database: Database, courseIds: readonly string[]): Promise<TaskInCourse[]> {
  return prismaOf(database).task.findMany({
    where: { courseId: { in: [...courseIds] } },
    orderBy: [{ deadline: 'asc' }, { slug: 'asc' }],
    include: { course: { select: { slug: true, timeZone: true } } },
  });
}

/** Hides, archives or shows again a task (see Task.hiddenAt and Task.archivedAt); audited. */
export async function setTaskState(
  database: Database,
  task: { id: string; courseId: string },
  state: 'visible' | 'hidden' | 'archived',
  actorId: string,
  now: Date,
): Promise<TaskInCourse> {
  return prismaOf(database).$transaction(async (tx) => {
    const updated = await tx.task.update({
      where: { id: task.id },
      data: { hiddenAt: state === 'hidden' ? now : null, archivedAt: state === 'archived' ? now : null },
      include: { course: { select: { slug: true, timeZone: true } } },
    });
    await recordAudit(tx, task.courseId, actorId, 'task.state', { taskId: task.id, state });
    return updated;
  });
}
