/**
 * Restarts are routine. The built api and two workers run against a PostgreSQL and a Redis of this
 * file's own; students upload through each fault the way the CLI does (same Idempotency-Key on every
 * retry). After each fault: no answer was a 500, every accepted upload is one submission that ends
 * SCORED or REJECTED and was scored exactly once, and the processes that were not killed are still up.
 * At the end the storage sweeper leaves exactly the files of the submissions on disk.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations, closeDatabase, createDatabase, type Database } from '@mljudge/db';
import { prismaOf } from '@mljudge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFile } from '../support/bundles.ts';
import { eventually } from '../support/eventually.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { holdFile } from '../support/held-file.ts';
import { multipart } from '../support/multipart.ts';
import {
  startPrivatePostgres,
  startPrivateRedis,
  type PrivatePostgres,
  type PrivateRedis,
} from '../support/private-services.ts';
import { freePort, startService, type ServiceProcess } from '../support/processes.ts';
import { uploadMany, type UploadRecord, type UploaderOptions } from '../support/uploader.ts';

const COURSE = 'restarts';
const TASK = 'covid-rush';
const STUDENTS = 12;

let postgres: PrivatePostgres;
let redis: PrivateRedis;
let db: Database;
let storageDir: string;
let env: Record<string, string>;
let api: ServiceProcess;
const workers: ServiceProcess[] = [];
let uploader: UploaderOptions;
let taToken: string;

const prisma = () => prismaOf(db);

/** A valid prediction for most uploads, a malformed one for every seventh (those end REJECTED). */
function prediction(n: number): string {
  if (n % 7 === 6) return 'id,tested_positive\n0,1\n0,2\n';
  const rows = Array.from({ length: 8 }, (_, id) => `${id},${10 + ((n + id) % 5)}`);
  return `id,tested_positive\n${rows.join('\n')}\n`;
}

async function startWorker(): Promise<ServiceProcess> {
  const worker = await startService('worker', { ...env, WORKER_HEALTH_PORT: String(await freePort()) });
  workers.push(worker);
  return worker;
}

const alive = (service: ServiceProcess) => service.child.exitCode === null && service.child.signalCode === null;

/** Reads from the database, treating a connection error (the server is restarting) as "not yet". */
async function settled<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/**
 * What every fault must leave: each accepted key is exactly one submission; none was answered 500;
 * all of them end SCORED or REJECTED; each SCORED one has its two scores and was counted once on the
 * board (scoredCount sums to the SCORED rows, so a second commit of the same file would show).
 */
async function expectScoredExactlyOnce(records: readonly UploadRecord[]) {
  const answers = records.flatMap((record) => record.answers);
  expect(answers.filter((answer) => typeof answer === 'number' && answer >= 500 && answer !== 503)).toEqual([]);
  const accepted = records.filter((record) => record.submissionId);
  expect(accepted.length, 'every upload was accepted in the end').toBe(records.length);

  const ids = accepted.map((record) => record.submissionId!);
  const rows = await eventually(
    () =>
      settled(async () => {
        const found = await prisma().submission.findMany({ where: { id: { in: ids } } });
        return found.every((row) => row.status === 'SCORED' || row.status === 'REJECTED') ? found : undefined;
      }),
    'every accepted upload to be scored or rejected',
  );
  expect(rows).toHaveLength(new Set(ids).size);
  expect(new Set(ids).size).toBe(ids.length);
  const keys = await prisma().submission.groupBy({
    by: ['idempotencyKey'],
    where: { idempotencyKey: { in: records.map((record) => record.key) } },
    _count: true,
  });
  expect(keys.every((group) => group._count === 1)).toBe(true);
  expect(keys).toHaveLength(records.length);

  const scored = await prisma().submission.count({ where: { status: 'SCORED' } });
  expect(await prisma().score.count()).toBe(2 * scored);
  const boards = await prisma().bestScore.aggregate({ where: { split: 'PUBLIC' }, _sum: { scoredCount: true } });
  expect(boards._sum.scoredCount ?? 0).toBe(scored);
  expect(await prisma().submission.count({ where: { status: { in: ['QUEUED', 'RUNNING', 'FAILED'] } } })).toBe(0);
}

/** Up, and everything it wrote is a JSON log line (no raw stack traces during an outage). */
function expectRunning(...services: ServiceProcess[]) {
  for (const service of services) {
    expect(alive(service), service.output()).toBe(true);
    const notJson = service
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
    expect(notJson).toEqual([]);
  }
}

/** Uploads `total` files, four at a time, and runs `fault` once `after` of them were accepted. */
async function rushThrough(fault: () => Promise<void>, total = 48, after = 12): Promise<UploadRecord[]> {
  let faulted: Promise<void> | undefined;
  const records = await uploadMany(uploader, total, 4, (count) => {
    if (count === after) faulted = fault();
  });
  await faulted;
  return records;
}

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  await applyMigrations(postgres.url);
  db = createDatabase(postgres.url, { maxConnections: 4 });
  storageDir = mkdtempSync(path.join(tmpdir(), 'mljudge-restarts-'));
  const apiPort = await freePort();
  env = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: 'mljudge-restarts',
    API_PORT: String(apiPort),
    WORKER_CONCURRENCY: '2',
    // The loaded test machine lags; shedding on event-loop delay is not what this file tests.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // The sweeper may treat any file older than this as abandoned; in production it is hours.
    STORAGE_SWEEP_INTERVAL_MS: '1000',
    PART_MAX_AGE_MS: '15000',
    SHUTDOWN_GRACE_MS: '1000',
  };
  api = await startService('api', env);
  await startWorker();
  await startWorker();

  const course = await seedCourse(db, COURSE);
  taToken = (await seedUser(db, course.id, 'TA', 'rush-ta')).token;
  const tokens: string[] = [];
  for (let i = 0; i < STUDENTS; i++) tokens.push((await seedUser(db, course.id, 'STUDENT', `rusher${i}`)).token);
  const taskYaml = bundleFile('covid-mini', 'task.yaml')
    .toString()
    .replace('slug: covid-mini', `slug: ${TASK}`)
    .replace(/daily_submissions: \d+/, 'daily_submissions: 1000');
  const bundle = multipart([
    { field: 'task', filename: 'task.yaml', content: taskYaml },
    { field: 'solution', filename: 'solution.csv', content: bundleFile('covid-mini', 'solution.csv') },
  ]);
  const created = await fetch(`http://127.0.0.1:${apiPort}/v1/courses/${COURSE}/tasks`, {
    method: 'POST',
    body: new Uint8Array(bundle.payload),
    headers: { ...bundle.headers, authorization: `Bearer ${taToken}` },
  });
  expect(created.status, await created.text()).toBe(201);
  uploader = { baseUrl: `http://127.0.0.1:${apiPort}`, task: TASK, course: COURSE, tokens, content: prediction };
});

afterAll(async () => {
  await Promise.all([api, ...workers].map((service) => service?.stop('SIGKILL')));
  if (db) await closeDatabase(db);
  await Promise.all([postgres?.stop(), redis?.stop()]);
  if (storageDir) rmSync(storageDir, { recursive: true, force: true });
});

describe('restarts under load', () => {
  it('a worker killed with SIGKILL mid-job: its job is scored once by another worker', async () => {
    // Hold one job inside a worker so it certainly dies mid-job: with no worker running, queue a
    // file, swap it for a pipe, and start a worker, which blocks reading it.
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    const [held] = await uploadMany(uploader, 1, 1);
    const row = await prisma().submission.findUniqueOrThrow({ where: { id: held!.submissionId! } });
    expect(row.status).toBe('QUEUED');
    const hold = await holdFile(path.join(storageDir, ...row.artifactKey.split('/')));
    const doomed = await startWorker();
    await eventually(
      async () => (await prisma().submission.findUniqueOrThrow({ where: { id: row.id } })).status === 'RUNNING',
      'the worker to be inside the held job',
    );

    const records = await rushThrough(async () => {
      await doomed.stop('SIGKILL');
      workers.splice(workers.indexOf(doomed), 1);
      const released = hold.release();
      await startWorker();
      await startWorker();
      await released;
    });
    await expectScoredExactlyOnce([held!, ...records]);
    const rescued = await prisma().submission.findUniqueOrThrow({ where: { id: row.id } });
    expect(rescued).toMatchObject({ status: 'SCORED', attempts: 2, interruptions: 1 });
    expectRunning(api, ...workers);
  });

  it('Redis killed and restarted empty: nothing queued is lost', async () => {
    const records = await rushThrough(() => redis.restartEmpty(1000));
    await expectScoredExactlyOnce(records);
    expectRunning(api, ...workers);
  });

  it('PostgreSQL restarted (fast shutdown) under load: 503s, never 500s, nothing lost', async () => {
    const records = await rushThrough(() => postgres.restart(1000));
    await expectScoredExactlyOnce(records);
    expectRunning(api, ...workers);
  });

  it('the API killed with SIGKILL during uploads: the retries are accepted once each', async () => {
    const records = await rushThrough(async () => {
      await api.stop('SIGKILL');
      api = await startService('api', env);
    });
    await expectScoredExactlyOnce(records);
    expectRunning(api, ...workers);
  });

  it('leaves on storage exactly the files of the submissions once the sweeper has run', async () => {
    const expected = new Set(
      (await prisma().submission.findMany({ select: { artifactKey: true } })).map((row) =>
        path.join(storageDir, ...row.artifactKey.split('/')),
      ),
    );
    await eventually(() => {
      const onDisk = readdirSync(path.join(storageDir, 'submissions'), { recursive: true, withFileTypes: true })
        .filter((entry) => !entry.isDirectory())
        .map((entry) => path.join(entry.parentPath, entry.name));
      return onDisk.length === expected.size && onDisk.every((file) => expected.has(file));
    }, 'the sweeper to remove every orphan and partial file');
  });
});
