/** The tasks a starting worker decodes ahead of their jobs. */
import { liveFileTasks } from '@mljudge/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.ts';
import { seedCourse, seedTaskRow } from '../support/fixtures.ts';

const database = useTestDatabase();
let courseId: string;

beforeAll(async () => {
  courseId = (await seedCourse(database.db)).id;
});

describe('liveFileTasks', () => {
  it('lists file tasks not archived, due ahead or within a day, nearest deadline first', async () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const hour = 3_600_000;
    const task = async (slug: string, data: { deadline?: Date; archivedAt?: Date; format?: string }) => {
      const { id } = await seedTaskRow(database.db, courseId, { slug });
      await database.prisma.task.update({ where: { id }, data });
      return slug;
    };
    await task('tomorrow', { deadline: new Date(now.getTime() + 24 * hour) });
    await task('in-an-hour', { deadline: new Date(now.getTime() + hour) });
    await task('closed-an-hour-ago', { deadline: new Date(now.getTime() - hour) });
    await task('closed-last-week', { deadline: new Date(now.getTime() - 7 * 24 * hour) });
    await task('no-deadline', {});
    await task('archived', { deadline: new Date(now.getTime() + hour), archivedAt: now });
    await task('a-model-task', { deadline: new Date(now.getTime() + hour), format: 'onnx' });

    const live = await liveFileTasks(database.db, now, 8);
    expect(live.map((row) => row.slug)).toEqual(['closed-an-hour-ago', 'in-an-hour', 'tomorrow', 'no-deadline']);
    expect((await liveFileTasks(database.db, now, 2)).map((row) => row.slug)).toEqual([
      'closed-an-hour-ago',
      'in-an-hour',
    ]);
  });
});
