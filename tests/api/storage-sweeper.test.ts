/**
 * Nothing accumulates on storage: the sweeper deletes partial writes and files without a submission
 * once they are older than an upload can take, and the files of rejected uploads after the retention
 * period (the student then gets 410 for the download). Scored files and young files are left alone.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { covidPrediction, covidTask, pushTask, seedTestCourse, type TestCourse } from '../support/course.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack({ config: { PART_MAX_AGE_MS: '60000', REJECTED_RETENTION_DAYS: '0' } });
let course: TestCourse;

beforeAll(async () => {
  course = await seedTestCourse(stack, 'sweep2023', ['sam']);
  await pushTask(stack, course, covidTask('swept'));
});

/** A file on storage, `ageMs` old. */
function leftover(key: string, ageMs: number): string {
  const file = stack.storage.pathOf(key);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'left behind');
  const when = new Date(Date.now() - ageMs);
  utimesSync(file, when, when);
  return file;
}

describe('the storage sweeper', () => {
  it('removes leftovers and expired rejected files, and keeps everything else', async () => {
    const task = await stack.database.prisma.task.findFirstOrThrow({ where: { slug: 'swept' } });
    const scored = await submit(stack.app, course.students.sam!, 'swept', covidPrediction(0, 0), { query: '?wait=60' });
    const rejected = await submit(stack.app, course.students.sam!, 'swept', 'id,wrong\n', { query: '?wait=60' });
    expect(rejected.json().submission.status).toBe('REJECTED');
    const rows = await stack.database.prisma.submission.findMany({ where: { taskId: task.id } });
    const keyOf = (id: string) => rows.find((row) => row.id === id)!.artifactKey;
    const orphan = leftover(`submissions/${task.id}/${randomUUID()}`, 3_600_000);
    const young = leftover(`submissions/${task.id}/${randomUUID()}`, 1000);
    const part = leftover(`submissions/${task.id}/${randomUUID()}.${randomUUID()}.part`, 3_600_000);
    const staging = leftover(`staging/${randomUUID()}/task.yaml`, 3_600_000);
    utimesSync(path.dirname(staging), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));

    const report = await stack.worker!.sweepStorage();
    expect(report).toEqual({ parts: 1, staging: 1, orphans: 1, rejected: 1 });
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(part)).toBe(false);
    expect(existsSync(path.dirname(staging))).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(stack.storage.pathOf(keyOf(scored.json().submission.id)))).toBe(true);
    expect(existsSync(stack.storage.pathOf(keyOf(rejected.json().submission.id)))).toBe(false);
    expect(existsSync(stack.storage.pathOf(`${task.bundleKey}/solution.csv`))).toBe(true);

    const download = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${rejected.json().submission.id}/file`,
      headers: bearer(course.students.sam!),
    });
    expect(download.statusCode).toBe(410);
    expect(download.json().code).toBe('ARTIFACT_PURGED');
    // Running it again finds nothing more.
    expect(await stack.worker!.sweepStorage()).toEqual({ parts: 0, staging: 0, orphans: 0, rejected: 0 });
  });
});
