/** TA bundle upload, task reads, the OpenAPI document, and failing fast when Redis is down. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '@mljudge/api';
import { createProducerConnection, JobQueues } from '@mljudge/queue';
import { loadTask, loadTaskWithSnapshot, SOLUTION_SNAPSHOT_FILE } from '@mljudge/scoring';
import { storageKeys } from '@mljudge/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, bundleUpload } from '../support/bundles.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { multipart } from '../support/multipart.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack({ worker: false });
let ta: string;
let student: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'ml2022');
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT')).token;
});

async function upload(body: { payload: Buffer; headers: Record<string, string> }, token = ta) {
  return stack.app.inject({
    method: 'POST',
    url: '/v1/courses/ml2022/tasks',
    payload: body.payload,
    headers: { ...body.headers, ...bearer(token) },
  });
}

describe('POST /v1/courses/:course/tasks', () => {
  it('creates a task from task.yaml + solution.csv, keeps the version for an identical re-upload and bumps it for new hidden data', async () => {
    const created = await upload(bundleUpload('covid-mini'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      created: true,
      rows: { public: 4, private: 4 },
      task: { slug: 'covid-mini', version: 1, direction: 'lower', metric: { name: 'mse' } },
    });
    const same = await upload(bundleUpload('covid-mini'));
    expect(same.statusCode).toBe(200);
    expect(same.json().task.version).toBe(1);
    const changed = await upload(
      bundleUpload('covid-mini', {
        solution: bundleFile('covid-mini', 'solution.csv').toString().replace('10.0', '10.5'),
      }),
    );
    expect(changed.json().task.version).toBe(2);
  });

  it('accepts the bundle as one .tar.gz', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    writeFileSync(path.join(dir, 'task.yaml'), bundleFile('phoneme-mini', 'task.yaml'));
    writeFileSync(path.join(dir, 'solution.csv'), bundleFile('phoneme-mini', 'solution.csv'));
    const archive = execFileSync('tar', ['-czf', '-', '-C', dir, 'task.yaml', 'solution.csv']);
    const response = await upload(multipart([{ field: 'bundle', filename: 'phoneme.tar.gz', content: archive }]));
    expect(response.statusCode).toBe(201);
    expect(response.json().task).toMatchObject({
      slug: 'phoneme-mini',
      metric: { name: 'accuracy' },
      direction: 'higher',
    });
  });

  it('keeps the decoded solution beside the stored bundle for the workers, in place of one the TA sent', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    writeFileSync(path.join(dir, 'task.yaml'), bundleFile('translation-mini', 'task.yaml'));
    writeFileSync(path.join(dir, 'solution.csv'), bundleFile('translation-mini', 'solution.csv'));
    writeFileSync(path.join(dir, SOLUTION_SNAPSHOT_FILE), 'forged by the uploader');
    const archive = execFileSync('tar', ['-czf', '-', '-C', dir, 'task.yaml', 'solution.csv', SOLUTION_SNAPSHOT_FILE]);
    const response = await upload(multipart([{ field: 'bundle', filename: 'translation.tar.gz', content: archive }]));
    expect(response.statusCode).toBe(201);
    const task = await stack.database.prisma.task.findFirstOrThrow({ where: { slug: 'translation-mini' } });
    const stored = (name: string) => readFileSync(stack.storage.pathOf(storageKeys.taskFile(task.bundleKey, name)));
    // A snapshot of exactly these files: loading through it parses nothing and makes no new one.
    const loaded = loadTaskWithSnapshot(
      stored('task.yaml').toString('utf8'),
      stored('solution.csv'),
      stored(SOLUTION_SNAPSHOT_FILE),
    );
    expect(loaded.snapshot).toBeNull();
    expect(loaded.task.solution.rowCount).toBe(
      loadTask(stored('task.yaml').toString('utf8'), stored('solution.csv')).solution.rowCount,
    );
  });

  it('rejects an invalid task.yaml with the path of the offending key', async () => {
    const response = await upload(
      bundleUpload('covid-mini', {
        taskYaml: bundleFile('covid-mini', 'task.yaml').toString().replace('report:', 'reprot:'),
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'TASK_YAML_INVALID' });
    expect(response.json().detail).toContain('/reprot: unknown key');
  });

  it('rejects a solution.csv with a bad row, naming the line', async () => {
    const response = await upload(
      bundleUpload('covid-mini', { solution: 'id,tested_positive,Usage\n0,1,Public\n1,x,Private\n' }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'SOLUTION_INVALID', line: 3 });
  });

  it('stages uploaded files on storage and removes the staging area, whether the bundle is kept or refused', async () => {
    const refused = await upload(bundleUpload('covid-mini', { solution: 'id,tested_positive,Usage\n0,x,Public\n' }));
    expect(refused.statusCode).toBe(422);
    const incomplete = await upload(
      multipart([
        { field: 'task', filename: 'task.yaml', content: bundleFile('covid-mini', 'task.yaml') },
        { field: 'notes', filename: 'notes.txt', content: 'ignored' },
      ]),
    );
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json()).toMatchObject({ code: 'BUNDLE_INCOMPLETE' });
    expect((await upload(bundleUpload('phoneme-mini'))).statusCode).toBeLessThan(300);
    const left = existsSync(stack.storage.pathOf('staging'))
      ? readdirSync(stack.storage.pathOf('staging'), { recursive: true })
      : [];
    expect(left).toEqual([]);
    // Nothing of the refused bundles reached a task folder: only the versions that were accepted exist.
    const tasks = await stack.database.prisma.task.findMany({ select: { id: true, version: true } });
    for (const task of tasks)
      expect(await stack.storage.exists(`tasks/${task.id}/v${task.version}/solution.csv`)).toBe(true);
  });

  it('forbids students from creating tasks', async () => {
    const response = await upload(bundleUpload('covid-mini'), student);
    expect(response.statusCode).toBe(403);
  });
});

describe('GET /v1/tasks/:slug', () => {
  it('describes format, metric and public baselines, and never serves hidden data', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/v1/tasks/covid-mini', headers: bearer(student) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ submissionExample: 'id,tested_positive', quota: { limit: 5, used: 0, remaining: 5 } });
    expect(body.baselines.map((b: { name: string }) => b.name)).toEqual(['simple', 'medium', 'strong', 'boss']);
    expect(JSON.stringify(body)).not.toContain('Private');
    expect(JSON.stringify(body)).not.toContain('12.5');
  });
});

describe('GET /docs/json', () => {
  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    for (const route of [
      '/v1/tasks/{slug}/submissions',
      '/v1/submissions/{id}',
      '/v1/tasks/{slug}/leaderboard',
      '/v1/courses/{course}/tasks',
    ]) {
      expect(Object.keys(document.paths)).toContain(route);
    }
    expect(document.paths['/v1/tasks/{slug}/submissions'].post.responses['202']).toBeDefined();
  });
});

describe('when Redis is unreachable', () => {
  it('answers 503 with Retry-After before storing anything', async () => {
    const unreachable = createProducerConnection('redis://127.0.0.1:1');
    unreachable.on('error', () => undefined);
    const queues = new JobQueues(unreachable, 'unused', { attempts: 1, backoffMs: 1 });
    const app = await buildApp({
      config: stack.config,
      db: stack.database.db,
      storage: stack.storage,
      queues,
      now: () => new Date(),
    });
    try {
      const before = await stack.database.prisma.submission.count();
      const response = await submit(app, student, 'covid-mini', 'id,tested_positive\n0,1\n');
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().code).toBe('SERVICE_UNAVAILABLE');
      expect(await stack.database.prisma.submission.count()).toBe(before);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks).toEqual({ database: true, queue: false });
    } finally {
      await app.close();
      unreachable.disconnect();
    }
  });
});
