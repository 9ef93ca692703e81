/**
 * api and worker as separate processes: a submission goes from upload to leaderboard over HTTP; then a
 * worker is killed with SIGKILL in the middle of a job and a second worker still scores it exactly once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFile } from '../support/bundles.ts';
import { useTestDatabase } from '../support/database.ts';
import { TEST_REDIS_URL } from '../support/environment.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { freePort, startService, type ServiceProcess } from '../support/processes.ts';

const database = useTestDatabase();
const storageDir = mkdtempSync(path.join(tmpdir(), 'mljudge-e2e-'));
const prefix = `mljudge-e2e-${randomBytes(5).toString('hex')}`;
let env: Record<string, string>;
let api: ServiceProcess;
let base: string;
let ta: string;
let student: string;

// Response bodies are checked field by field below; the API's schemas are tested elsewhere.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const GOOD = 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n';

async function workerEnv(): Promise<Record<string, string>> {
  return { ...env, WORKER_HEALTH_PORT: String(await freePort()) };
}

async function post(pathname: string, token: string, files: Record<string, [string, string]>) {
  const form = new FormData();
  for (const [field, [filename, content]] of Object.entries(files)) form.append(field, new Blob([content]), filename);
  return fetch(`${base}${pathname}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
}

async function get(pathname: string, token: string): Promise<Body> {
  const response = await fetch(`${base}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as Body;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  const course = await seedCourse(database.db, 'e2e');
  ta = (await seedUser(database.db, course.id, 'TA')).token;
  student = (await seedUser(database.db, course.id, 'STUDENT', 'carol')).token;
  const apiPort = await freePort();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: prefix,
    API_PORT: String(apiPort),
    WORKER_CONCURRENCY: '1',
    // Short locks so a dead worker's job is handed over in seconds, not a minute.
    WORKER_LOCK_MS: '2000',
    WORKER_STALLED_CHECK_MS: '500',
    RECOVERY_INTERVAL_MS: '1000',
    SHUTDOWN_GRACE_MS: '1000',
  };
  base = `http://127.0.0.1:${apiPort}`;
  api = await startService('api', env);
  const created = await post('/v1/courses/e2e/tasks', ta, {
    task: ['task.yaml', bundleFile('covid-mini', 'task.yaml').toString()],
    solution: ['solution.csv', bundleFile('covid-mini', 'solution.csv').toString()],
  });
  expect(created.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await api?.stop();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(storageDir, { recursive: true, force: true });
});

describe('api and worker as separate processes', () => {
  it('takes a submission from upload to the leaderboard', async () => {
    const worker = await startService('worker', await workerEnv());
    try {
      const response = await post('/v1/tasks/covid-mini/submissions', student, { file: ['pred.csv', GOOD] });
      expect(response.status).toBe(202);
      const { submission } = (await response.json()) as Body;
      const scored = await until(async () => {
        const body = await get(`/v1/submissions/${submission.id}`, student);
        return body.status === 'SCORED' ? body : undefined;
      }, 'the submission to be scored');
      expect(scored.public.value).toBe(0.3125);
      const board = await get('/v1/tasks/covid-mini/leaderboard', student);
      expect(board.rows).toEqual([
        expect.objectContaining({ rank: 1, displayName: 'carol', value: 0.3125, isMe: true }),
      ]);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('scores a submission exactly once after its worker is killed mid-job', async () => {
    const response = await post('/v1/tasks/covid-mini/submissions', student, {
      file: ['pred.csv', GOOD.replace('0,10.5', '0,10')],
    });
    const { submission } = (await response.json()) as Body;
    const row = await database.prisma.submission.findUniqueOrThrow({ where: { id: submission.id } });
    const artifact = path.join(storageDir, ...row.artifactKey.split('/'));
    // Swap the stored file for a named pipe: the scoring thread blocks reading it, so the worker is
    // certainly inside the job (RUNNING, lock held) when it dies.
    renameSync(artifact, `${artifact}.real`);
    execFileSync('mkfifo', [artifact]);

    const doomed = await startService('worker', await workerEnv());
    await until(async () => {
      const current = await database.prisma.submission.findUniqueOrThrow({ where: { id: submission.id } });
      return current.status === 'RUNNING' ? current : undefined;
    }, 'the first worker to claim the submission');
    await doomed.stop('SIGKILL');

    rmSync(artifact);
    renameSync(`${artifact}.real`, artifact);
    const rescuer = await startService('worker', await workerEnv());
    try {
      const finished = await until(async () => {
        const current = await database.prisma.submission.findUniqueOrThrow({
          where: { id: submission.id },
          include: { scores: true },
        });
        return current.status === 'SCORED' ? current : undefined;
      }, 'the second worker to score it');
      expect(finished.attempts).toBe(2);
      expect(finished.scores.map((s) => s.split).sort()).toEqual(['PRIVATE', 'PUBLIC']);
      expect(finished.scores.find((s) => s.split === 'PUBLIC')!.value).toBe(0.25);
      const best = await database.prisma.bestScore.findMany({ where: { split: 'PUBLIC' } });
      expect(best).toHaveLength(1);
      expect(best[0]).toMatchObject({ submissionId: submission.id, value: 0.25, scoredCount: 2 });
      // Give a duplicate run every chance to happen, then check nothing changed.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await database.prisma.score.count({ where: { submissionId: submission.id } })).toBe(2);
      expect((await database.prisma.bestScore.findFirstOrThrow({ where: { split: 'PUBLIC' } })).scoredCount).toBe(2);
    } finally {
      await rescuer.stop();
    }
  }, 90_000);
});
