/**
 * Faults under load, measured: the built api and one worker against a PostgreSQL and a Redis of this
 * run's own (so they can be killed and wiped), students uploading the way the CLI does (same
 * Idempotency-Key on every retry) at a steady rate while each fault happens once:
 * kill -9 of the worker mid-rush, Redis killed and restarted empty, PostgreSQL fast-restarted, and
 * kill -9 of the API. For each: uploads accepted, finished, scored twice, lost, stuck, answers that
 * were 5xx other than 503, and the recovery time (from the fault until every upload begun before the
 * fault was over is accepted and finished). tests/e2e/restarts.test.ts asserts the same invariants; this measures them.
 *
 * Usage: node --import tsx bench/faults.ts [--rate=20] [--seconds=20]   (needs `npm run build`)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations, closeDatabase, createDatabase, type Database } from '@mljudge/db';
import { prismaOf } from '@mljudge/db/testing';
import { bundleFile } from '../tests/support/bundles.ts';
import { holdFile } from '../tests/support/held-file.ts';
import { seedCourse, seedUser } from '../tests/support/fixtures.ts';
import { multipart } from '../tests/support/multipart.ts';
import { startPrivatePostgres, startPrivateRedis } from '../tests/support/private-services.ts';
import { freePort, startService, type ServiceProcess } from '../tests/support/processes.ts';
import { uploadWithRetries, type UploadRecord, type UploaderOptions } from '../tests/support/uploader.ts';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'];
  }),
);
const RATE = Number(args.rate ?? 20);
const SECONDS = Number(args.seconds ?? 20);
const log = (line = '') => process.stdout.write(`${line}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function prediction(n: number): string {
  if (n % 10 === 9) return 'id,tested_positive\n0,1\n0,2\n';
  const rows = Array.from({ length: 8 }, (_, id) => `${id},${10 + ((n + id) % 5)}`);
  return `id,tested_positive\n${rows.join('\n')}\n`;
}

interface FaultRow {
  readonly fault: string;
  readonly uploads: number;
  readonly accepted: number;
  readonly finished: number;
  readonly scoredTwice: number;
  readonly lost: number;
  readonly stuck: number;
  readonly serverErrors: number;
  readonly busy: number;
  readonly recoverySeconds: number;
}

async function main() {
  const [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  await applyMigrations(postgres.url);
  const db: Database = createDatabase(postgres.url, { maxConnections: 2 });
  const prisma = prismaOf(db);
  const storageDir = mkdtempSync(path.join(tmpdir(), 'mljudge-faults-'));
  const apiPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: 'mljudge-faults',
    API_PORT: String(apiPort),
    SHUTDOWN_GRACE_MS: '1000',
    LOG_LEVEL: 'error',
  };
  const startWorker = async () => startService('worker', { ...env, WORKER_HEALTH_PORT: String(await freePort()) });
  let api: ServiceProcess = await startService('api', env);
  let worker: ServiceProcess = await startWorker();
  const rows: FaultRow[] = [];
  let heldJob: { status: string; attempts: number; seconds: number } | undefined;
  try {
    const course = await seedCourse(db, 'faults');
    const ta = (await seedUser(db, course.id, 'TA', 'faults-ta')).token;
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) tokens.push((await seedUser(db, course.id, 'STUDENT', `f${i}`)).token);
    const taskYaml = bundleFile('covid-mini', 'task.yaml')
      .toString()
      .replace('slug: covid-mini', 'slug: faulty')
      .replace(/daily_submissions: \d+/, 'daily_submissions: 1000');
    const bundle = multipart([
      { field: 'task', filename: 'task.yaml', content: taskYaml },
      { field: 'solution', filename: 'solution.csv', content: bundleFile('covid-mini', 'solution.csv') },
    ]);
    const pushed = await fetch(`http://127.0.0.1:${apiPort}/v1/courses/faults/tasks`, {
      method: 'POST',
      body: new Uint8Array(bundle.payload),
      headers: { ...bundle.headers, authorization: `Bearer ${ta}` },
    });
    if (pushed.status !== 201) throw new Error(`task push failed: ${await pushed.text()}`);
    const uploader: UploaderOptions = {
      baseUrl: `http://127.0.0.1:${apiPort}`,
      task: 'faulty',
      course: 'faults',
      tokens,
      content: prediction,
      maxAttempts: 1000,
    };

    let counter = 0;
    /** Uploads at RATE for SECONDS; the fault runs at a third of the way in. */
    async function rush(name: string, fault: () => Promise<void>) {
      const boards = async () =>
        (await prisma.bestScore.aggregate({ where: { split: 'PUBLIC' }, _sum: { scoredCount: true } }))._sum
          .scoredCount ?? 0;
      const scoredBefore = await prisma.submission.count({ where: { status: 'SCORED' } });
      const boardBefore = await boards();
      const pending: Array<Promise<UploadRecord>> = [];
      const started = Date.now();
      let faultAt = 0;
      let faultEnd = Number.POSITIVE_INFINITY;
      let faulted: Promise<void> | undefined;
      const total = RATE * SECONDS;
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / RATE;
        if (due > Date.now()) await pause(due - Date.now());
        if (!faulted && i >= total / 3) {
          faultAt = Date.now();
          faulted = fault().then(() => {
            faultEnd = Date.now();
          });
        }
        pending.push(uploadWithRetries(uploader, counter++));
      }
      await faulted;
      const records = await Promise.all(pending);
      // Recovered when every upload begun before the fault was over is accepted and finished.
      const during = records.filter((record) => record.startedAt < faultEnd && record.submissionId);
      const deadline = Date.now() + 300_000;
      let recoveredAt = Number.NaN;
      for (;;) {
        try {
          const rows = await prisma.submission.findMany({
            where: { id: { in: during.map((record) => record.submissionId!) } },
            select: { finishedAt: true },
          });
          if (rows.every((row) => row.finishedAt)) {
            recoveredAt = Math.max(faultAt, ...rows.map((row) => row.finishedAt!.getTime()));
            if ((await prisma.submission.count({ where: { finishedAt: null } })) === 0) break;
          }
        } catch {
          // the database is still coming back
        }
        if (Date.now() > deadline) break;
        await pause(250);
      }
      const ids = records.flatMap((record) => (record.submissionId ? [record.submissionId] : []));
      const found = await prisma.submission.findMany({ where: { id: { in: ids } }, select: { status: true } });
      const scoredNow = await prisma.submission.count({ where: { status: 'SCORED' } });
      const answers = records.flatMap((record) => record.answers);
      rows.push({
        fault: name,
        uploads: records.length,
        accepted: new Set(ids).size,
        finished: found.filter((row) => ['SCORED', 'REJECTED', 'FAILED'].includes(row.status)).length,
        scoredTwice: (await boards()) - boardBefore - (scoredNow - scoredBefore),
        lost: new Set(ids).size - found.length,
        stuck: found.filter((row) => row.status === 'QUEUED' || row.status === 'RUNNING').length,
        serverErrors: answers.filter((answer) => typeof answer === 'number' && answer >= 500 && answer !== 503).length,
        busy: answers.filter((answer) => answer === 503 || answer === 'network').length,
        recoverySeconds: (recoveredAt - faultAt) / 1000,
      });
      log(`  ${name}: done`);
    }

    log(`# bench/faults.ts: ${RATE} uploads/s for ${SECONDS} s per fault, 1 api + 1 worker`);
    log(`node ${process.version}, ${new Date().toISOString()}`);
    await rush('none (baseline)', async () => undefined);
    // A kill of a worker between two 5 ms jobs proves little: hold one job inside the worker (its
    // file swapped for a named pipe it blocks reading) so the kill certainly lands mid-job, and time
    // how long that job takes to be scored by the restarted worker (lock expiry + stalled check).
    await worker.stop();
    const held = await uploadWithRetries(uploader, counter++);
    const heldRow = await prisma.submission.findUniqueOrThrow({ where: { id: held.submissionId! } });
    const hold = await holdFile(path.join(storageDir, ...heldRow.artifactKey.split('/')));
    worker = await startWorker();
    while ((await prisma.submission.findUniqueOrThrow({ where: { id: heldRow.id } })).status !== 'RUNNING')
      await pause(50);
    let killedAt = 0;
    await rush('worker kill -9 mid-job, restarted', async () => {
      killedAt = Date.now();
      await worker.stop('SIGKILL');
      const released = hold.release();
      worker = await startWorker();
      await released;
    });
    const rescued = await prisma.submission.findUniqueOrThrow({ where: { id: heldRow.id } });
    heldJob = {
      status: rescued.status,
      attempts: rescued.attempts,
      seconds: (rescued.finishedAt!.getTime() - killedAt) / 1000,
    };
    await rush('Redis killed, restarted empty after 1 s', () => redis.restartEmpty(1000));
    await rush('PostgreSQL fast restart, 1 s down', () => postgres.restart(1000));
    await rush('API kill -9, restarted', async () => {
      await api.stop('SIGKILL');
      api = await startService('api', env);
    });
    log();
    log(
      '| fault | uploads | accepted | finished | scored twice | lost | stuck | 5xx (not 503) | 503 or refused, retried | recovery s |',
    );
    log('|---|---|---|---|---|---|---|---|---|---|');
    for (const row of rows) {
      log(
        `| ${row.fault} | ${row.uploads} | ${row.accepted} | ${row.finished} | ${row.scoredTwice} | ${row.lost} | ${row.stuck} | ${row.serverErrors} | ${row.busy} | ${row.recoverySeconds.toFixed(1)} |`,
      );
    }
    if (heldJob)
      log(
        `\nThe job inside the killed worker: ${heldJob.status} after ${heldJob.attempts} attempts, ${heldJob.seconds.toFixed(1)} s after the kill.`,
      );
    const alive = [api, worker].every((service) => service.child.exitCode === null);
    log();
    log(`api and worker processes alive at the end: ${alive}`);
  } finally {
    await Promise.all([api.stop('SIGKILL'), worker.stop('SIGKILL')]);
    await closeDatabase(db);
    await Promise.all([postgres.stop(), redis.stop()]);
    rmSync(storageDir, { recursive: true, force: true });
  }
}

await main();
