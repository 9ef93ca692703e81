/** Task rows: created from a validated bundle, versioned when a TA replaces the hidden data. */
import type { DbOrTx } from './client.ts';
import type { Direction, Prisma } from './generated/prisma/client.ts';

export interface TaskRecordInput {
  readonly courseId: string;
  readonly slug: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly format: string;
  readonly metric: Prisma.InputJsonValue;
  readonly direction: Direction;
  readonly config: Prisma.InputJsonValue;
  readonly bundleSha256: string;
  readonly dailyQuota: number;
  readonly maxUploadBytes: number;
  readonly opensAt: Date | undefined;
  readonly deadline: Date | undefined;
  readonly revealAt: Date | undefined;
}

/**
 * Creates the task, or updates it and bumps its version when the bundle changed. `bundleKeyFor`
 * names the storage location of a version; the caller has stored the bundle there already.
 */
export async function saveTask(
  db: DbOrTx,
  input: TaskRecordInput,
  bundleKeyFor: (taskId: string, version: number) => string,
  taskId: string,
) {
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
    return {
      task: await db.task.create({
        data: {
          id: taskId,
          courseId: input.courseId,
          slug: input.slug,
          bundleKey: bundleKeyFor(taskId, 1),
          version: 1,
          ...fields,
        },
      }),
      created: true,
    };
  }
  const changed = existing.bundleSha256 !== input.bundleSha256;
  const version = changed ? existing.version + 1 : existing.version;
  const task = await db.task.update({
    where: { id: existing.id },
    data: { ...fields, version, bundleKey: changed ? bundleKeyFor(existing.id, version) : existing.bundleKey },
  });
  return { task, created: false };
}

export async function findTaskInCourses(db: DbOrTx, slug: string, courseIds: readonly string[]) {
  return db.task.findMany({
    where: { slug, courseId: { in: [...courseIds] } },
    include: { course: { select: { slug: true, timeZone: true } } },
  });
}

export async function findTaskById(db: DbOrTx, id: string) {
  return db.task.findUnique({ where: { id } });
}

export async function listTasks(db: DbOrTx, courseIds: readonly string[]) {
  return db.task.findMany({
    where: { courseId: { in: [...courseIds] } },
    orderBy: [{ deadline: 'asc' }, { slug: 'asc' }],
    include: { course: { select: { slug: true } } },
  });
}
