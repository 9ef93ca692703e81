/** Rows most integration tests need: a course, a TA, students with tokens, and a task. */
import { randomUUID } from 'node:crypto';
import {
  createApiToken,
  hashPassword,
  saveTask,
  setMembership,
  upsertCourse,
  upsertUser,
  type Database,
} from '@mljudge/db';

export const TEST_PASSWORD = 'correct horse battery staple';
// One hash for every seeded account: scrypt at full cost per user would make seeding slow.
let sharedHash: Promise<string> | undefined;

export async function seedCourse(db: Database, slug = `course-${randomUUID().slice(0, 8)}`) {
  return upsertCourse(db, slug, `Course ${slug}`, 'Asia/Taipei');
}

export async function seedUser(
  db: Database,
  courseId: string,
  role: 'STUDENT' | 'TA' | 'ADMIN',
  name = `user-${randomUUID().slice(0, 8)}`,
) {
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const user = await upsertUser(db, `${name}@example.edu`, name, { passwordHash: await sharedHash });
  await setMembership(db, courseId, user.id, role);
  const { token } = await createApiToken(db, user.id, 'test');
  return { user, token };
}

/** A minimal task row for database-level tests (no stored bundle). */
export async function seedTaskRow(
  db: Database,
  courseId: string,
  options: { slug?: string; direction?: 'HIGHER' | 'LOWER'; dailyQuota?: number } = {},
) {
  const id = randomUUID();
  const slug = options.slug ?? `task-${id.slice(0, 8)}`;
  const { task } = await saveTask(
    db,
    {
      courseId,
      slug,
      title: 'A task',
      description: undefined,
      format: 'csv',
      metric: { name: 'accuracy' },
      direction: options.direction ?? 'HIGHER',
      config: {
        slug,
        title: 'A task',
        format: 'csv',
        id_column: 'id',
        target_column: 'label',
        metric: 'accuracy',
        limits: { daily_submissions: options.dailyQuota ?? 5 },
      },
      bundleSha256: 'x'.repeat(64),
      dailyQuota: options.dailyQuota ?? 5,
      maxUploadBytes: 1024 * 1024,
      opensAt: undefined,
      deadline: undefined,
      revealAt: undefined,
    },
    (taskId, version) => `tasks/${taskId}/v${version}`,
    id,
  );
  return task;
}
