/**
 * A task that goes live while a worker runs is decoded in every one of its scoring threads before
 * the task's first upload: the API tells the workers over Redis, the worker lists the live tasks
 * again and preloads the new version.
 */
import { existsSync, rmSync } from 'node:fs';
import { storageKeys } from '@mljudge/storage';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, bundleUpload } from '../support/bundles.ts';
import { TEST_REDIS_URL } from '../support/environment.ts';
import { eventually } from '../support/eventually.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack({ config: { WORKER_CONCURRENCY: '2' } });
let ta: string;
let student: string;
let courseSlug: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db);
  courseSlug = course.slug;
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT')).token;
});

/** How many task versions the worker has preloaded because the API said they went live. */
async function livePreloads(): Promise<number> {
  const metric = await stack.worker!.metrics.getSingleMetric('mljudge_task_preloads_total')!.get();
  return metric.values.find((value) => value.labels.trigger === 'live')?.value ?? 0;
}

/** The truth itself, as a prediction file: every row right. */
function perfectUpload(): string {
  const rows = bundleFile('phoneme-mini', 'solution.csv').toString('utf8').trim().split('\n').slice(1);
  return `Id,Class\n${rows.map((row) => row.split(',').slice(0, 2).join(',')).join('\n')}\n`;
}

function pushBundle(body: { payload: Buffer; headers: Record<string, string> }) {
  return stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${courseSlug}/tasks`,
    payload: body.payload,
    headers: { ...body.headers, ...bearer(ta) },
  });
}

describe('a task that goes live while the worker runs', () => {
  it('is decoded in every scoring thread before its first upload', async () => {
    const before = await livePreloads();
    const created = await pushBundle(bundleUpload('phoneme-mini'));
    expect(created.statusCode).toBe(201);
    await eventually(async () => (await livePreloads()) > before, 'the worker to preload the new task');

    // With the hidden files gone, only threads that hold the task decoded can score it. Two uploads
    // at once land on both threads; without the preload each would fail to load the task.
    const task = await stack.database.prisma.task.findFirstOrThrow({ where: { slug: 'phoneme-mini' } });
    for (const name of ['solution.csv', 'solution.snapshot']) {
      const file = stack.storage.pathOf(storageKeys.taskFile(task.bundleKey, name));
      if (existsSync(file)) rmSync(file);
    }
    const uploads = await Promise.all([
      submit(stack.app, student, 'phoneme-mini', perfectUpload(), { query: `?course=${courseSlug}` }),
      submit(stack.app, student, 'phoneme-mini', perfectUpload(), { query: `?course=${courseSlug}` }),
    ]);
    expect(uploads.map((upload) => upload.statusCode)).toEqual([202, 202]);
    const results = await Promise.all(
      uploads.map((upload) => waitForResult(stack.app, student, upload.json().submission.id)),
    );
    expect(results.map((result) => [result.status, result.public?.value])).toEqual([
      ['SCORED', 1],
      ['SCORED', 1],
    ]);
  });

  it('ignores task events it cannot read, and still hears the next new version', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const channel = `${stack.config.queue.prefix}:events:task-live`;
      for (const garbage of ['not json', '{"taskId": 5}', 'null', '[]']) await redis.publish(channel, garbage);
    } finally {
      redis.disconnect();
    }
    const before = await livePreloads();
    const changed = bundleFile('phoneme-mini', 'solution.csv').toString('utf8').replace('0,3,Public', '0,4,Public');
    const version = await pushBundle(bundleUpload('phoneme-mini', { solution: changed }));
    expect(version.statusCode).toBe(200);
    expect(version.json().created).toBe(false);
    await eventually(async () => (await livePreloads()) > before, 'the worker to preload the new version');
  });
});
