/**
 * The deadline rush, measured. Real api and worker processes (dist/, as deployed) on loopback over a
 * fresh database on the local Postgres and a private queue prefix on the local Redis; N students
 * upload HW1-size CSVs (997 rows) in open-loop arrivals at each given rate, then in a closed loop of C
 * clients; a mix with full-size HW2 files (527,364 rows) at one rate. In the same run, a trivial
 * Fastify + @fastify/multipart server that streams the file to disk and answers 202 takes the same
 * closed loop: the ceiling. Prints Markdown tables; `--profile` also writes CPU profiles of the api
 * and the worker and prints where their time went.
 *
 * Usage: node --import tsx bench/rush.ts [--students=500] [--rates=12,42,84] [--seconds=60]
 *        [--clients=64] [--closed-seconds=30] [--hw2-rate=12] [--hw2-share=0.1] [--workers=1] [--profile]
 * Needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hw1Covid, hw2Phoneme, SeededRandom, writeBundle } from '@mljudge/course-pack';
import {
  applyMigrations,
  closeDatabase,
  createApiToken,
  createDatabase,
  dropDatabase,
  ensureDatabase,
  setMembership,
  upsertCourse,
  upsertUser,
  withDatabaseName,
} from '@mljudge/db';
import { prismaOf } from '@mljudge/db/testing';
import { MljudgeClient } from '@mljudge/client';
import { Redis } from 'ioredis';
import { freePort, startService, type ServiceProcess } from '../tests/support/processes.ts';
import { summarizeProfiles } from './cpu-profile.ts';

const here = fileURLToPath(new URL('./', import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'];
  }),
);
const STUDENTS = Number(args.students ?? 500);
const RATES = String(args.rates ?? '12,42,84')
  .split(',')
  .map(Number);
const SECONDS = Number(args.seconds ?? 60);
const CLIENTS = Number(args.clients ?? 64);
const CLOSED_SECONDS = Number(args['closed-seconds'] ?? 30);
const HW2_RATE = Number(args['hw2-rate'] ?? 12);
const HW2_SHARE = Number(args['hw2-share'] ?? 0.1);
const WORKERS = Number(args.workers ?? 1);
const PROFILE = args.profile === 'true';
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const COURSE = 'rush2023';

const log = (line = '') => process.stdout.write(`${line}\n`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

interface Upload {
  readonly start: number;
  end?: number;
  status?: number | 'network';
  submissionId?: string;
}

interface Row {
  readonly name: string;
  readonly offered: string;
  readonly uploads: Upload[];
  readonly windowSeconds: number;
  readonly started: number;
  readonly backlog: number[];
  readonly rows: Array<{ id: string; status: string; finishedAt: Date | null }>;
  /** Per submission: database transactions, rows written, rows read, Redis commands (all processes). */
  readonly cost: { xacts: number; writes: number; fetched: number; commands: number };
  /** Per submission: CPU milliseconds of each process group. */
  readonly cpuMs: Record<string, number>;
}

/** CPU seconds (user + system) used so far by each process group of the run, from /proc. */
function cpuSeconds(groups: Record<string, () => number[]>): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const of = (pid: number) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // Own time plus that of reaped children: a Postgres backend that exits mid-run moves its time
      // to the postmaster's children's time instead of vanishing from the sum.
      return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticks;
    } catch {
      return 0;
    }
  };
  return Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + of(pid), 0)]),
  );
}

/** Processes whose command name is `name` (every Postgres backend, the Redis server). */
function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A multipart body built once per distinct file; requests only add headers. */
function form(content: string, filename: string): { body: Buffer; type: string } {
  const boundary = `----rush${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

function post(url: string, file: { body: Buffer; type: string }, token?: string): Promise<Upload> {
  const upload: Upload = { start: Date.now() };
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': file.type,
        'content-length': file.body.length,
        ...(token ? { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() } : {}),
      },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        upload.end = Date.now();
        upload.status = response.statusCode ?? 0;
        if (upload.status === 202 && token) {
          upload.submissionId = (
            JSON.parse(Buffer.concat(chunks).toString()) as { submission: { id: string } }
          ).submission.id;
        }
        resolve(upload);
      });
    });
    request.on('error', () => {
      upload.end = Date.now();
      upload.status = 'network';
      resolve(upload);
    });
    request.end(file.body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)}` : '-');

/** Arrivals at `rate` per second for `seconds`, on a schedule that does not wait for answers. */
async function openLoop(rate: number, seconds: number, send: (n: number) => Promise<Upload>): Promise<Upload[]> {
  const total = Math.round(rate * seconds);
  const started = Date.now();
  const pending: Array<Promise<Upload>> = [];
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(n));
  }
  return Promise.all(pending);
}

/** `clients` uploaders, each sending its next file as soon as the last is answered. */
async function closedLoop(clients: number, seconds: number, send: (n: number) => Promise<Upload>) {
  const until = Date.now() + seconds * 1000;
  const uploads: Upload[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) uploads.push(await send(n++));
    }),
  );
  return uploads;
}

async function main() {
  const database = `mljudge_rush_${randomBytes(4).toString('hex')}`;
  const storage = mkdtempSync(path.join(tmpdir(), 'mljudge-rush-'));
  const trivialDir = mkdtempSync(path.join(tmpdir(), 'mljudge-trivial-'));
  const profileDir = path.join(here, '.out', `profiles-${Date.now()}`);
  await ensureDatabase(ADMIN_URL, database);
  const url = withDatabaseName(ADMIN_URL, database);
  await applyMigrations(url);
  const db = createDatabase(url, { maxConnections: 2 });
  const prisma = prismaOf(db);
  const redis = new Redis(REDIS_URL);
  const services: ServiceProcess[] = [];
  try {
    const course = await upsertCourse(db, COURSE, 'Rush', 'Asia/Taipei');
    const ta = await upsertUser(db, 'ta@rush.edu', 'TA');
    await setMembership(db, course.id, ta.id, 'TA');
    const taToken = (await createApiToken(db, ta.id, 'rush')).token;
    const tokens: string[] = [];
    for (let i = 0; i < STUDENTS; i++) {
      const user = await upsertUser(db, `s${i}@rush.edu`, `Student ${i}`);
      await setMembership(db, course.id, user.id, 'STUDENT');
      tokens.push((await createApiToken(db, user.id, 'rush')).token);
    }

    const apiPort = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: url,
      REDIS_URL,
      STORAGE_DIR: storage,
      QUEUE_PREFIX: `rush-${database}`,
      API_PORT: String(apiPort),
      LOG_LEVEL: 'warn',
    };
    if (PROFILE) mkdirSync(profileDir, { recursive: true });
    const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    services.push(await startService('api', env, { nodeArgs }));
    for (let i = 0; i < WORKERS; i++)
      services.push(
        await startService('worker', { ...env, WORKER_HEALTH_PORT: String(await freePort()) }, { nodeArgs }),
      );
    const base = `http://127.0.0.1:${apiPort}`;
    const client = new MljudgeClient(base, taToken);
    const bundles = path.join(storage, 'bundles');
    const files: Record<string, Array<{ body: Buffer; type: string }>> = {};
    for (const homework of [hw1Covid, hw2Phoneme]) {
      const written = await writeBundle(homework, bundles);
      const yamlPath = path.join(written.directory, 'task.yaml');
      writeFileSync(
        yamlPath,
        readFileSync(yamlPath, 'utf8').replace(/daily_submissions: \d+/, 'daily_submissions: 1000'),
      );
      await client.pushTaskBundle(COURSE, written.directory);
      // Ten distinct prediction files per task, each a truth-plus-noise sample of a different seed.
      files[homework.slug] = Array.from({ length: 10 }, (_, seed) =>
        form(homework.generate(new SeededRandom(seed + 1)).sampleSubmission as string, 'pred.csv'),
      );
    }
    const hw1 = files['hw1-covid']!;
    const hw2 = files['hw2-phoneme']!;
    log(
      `# bench/rush.ts: ${STUDENTS} students, 1 api + ${WORKERS} worker, HW1 file ${(hw1[0]!.body.length / 1024).toFixed(0)} KiB, HW2 file ${(hw2[0]!.body.length / 1048576).toFixed(1)} MiB`,
    );
    log(`node ${process.version}, ${availableParallelism()} CPUs, ${new Date().toISOString()}`);
    log();

    const uploadUrl = (slug: string) => `${base}/v1/tasks/${slug}/submissions?course=${COURSE}`;
    const sendHw1 = (n: number) => post(uploadUrl('hw1-covid'), hw1[n % hw1.length]!, tokens[n % tokens.length]);
    const mixRandom = new SeededRandom(7);
    const sendMix = (n: number) =>
      mixRandom.next() < HW2_SHARE
        ? post(uploadUrl('hw2-phoneme'), hw2[n % hw2.length]!, tokens[n % tokens.length])
        : sendHw1(n);

    /** Waits until every accepted upload is finished; samples the backlog once a second meanwhile. */
    async function drain(uploads: Upload[], started: number, backlog: number[]) {
      const ids = uploads.flatMap((upload) => (upload.submissionId ? [upload.submissionId] : []));
      for (;;) {
        const open = await prisma.submission.count({ where: { id: { in: ids }, finishedAt: null } });
        backlog.push(open);
        if (open === 0 || Date.now() - started > 600_000) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const rows = await prisma.submission.findMany({
        where: { id: { in: ids } },
        select: { id: true, status: true, finishedAt: true },
      });
      return rows;
    }

    function sampleBacklog(backlog: number[]) {
      let stop = false;
      const sampling = (async () => {
        while (!stop) {
          backlog.push(await prisma.submission.count({ where: { finishedAt: null } }));
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      })();
      return async () => {
        stop = true;
        await sampling;
      };
    }

    const results: Row[] = [];
    const cpuGroups: Record<string, () => number[]> = {
      api: () => [services[0]!.child.pid!],
      workers: () => services.slice(1).map((service) => service.child.pid!),
      postgres: () => pidsNamed('postgres'),
      redis: () => pidsNamed('redis-server'),
      'load generator': () => [process.pid],
    };

    async function measureRun(name: string, offered: string, windowSeconds: number, run: () => Promise<Upload[]>) {
      await waitIdle();
      const before = await counters();
      const cpuBefore = cpuSeconds(cpuGroups);
      const backlog: number[] = [];
      const started = Date.now();
      const stopSampling = sampleBacklog(backlog);
      const uploads = await run();
      await stopSampling();
      const rows = await drain(uploads, started, backlog);
      const cpuAfter = cpuSeconds(cpuGroups);
      const cost = await costSince(before, rows.length);
      const cpuMs = Object.fromEntries(
        Object.keys(cpuAfter).map((key) => [
          key,
          (1000 * (cpuAfter[key]! - cpuBefore[key]!)) / Math.max(1, rows.length),
        ]),
      );
      results.push({ name, offered, uploads, windowSeconds, started, backlog, rows, cost, cpuMs });
      log(`  ${name}: ${uploads.length} uploads done`);
    }

    /** Database and Redis work so far: committed transactions, rows written, Redis commands. */
    async function counters() {
      // Statistics reach pg_stat_database up to a second after the transaction that made them.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const [stats] = await prisma.$queryRaw<Array<{ xacts: bigint; writes: bigint; fetched: bigint }>>`
        SELECT xact_commit + xact_rollback AS xacts, tup_inserted + tup_updated + tup_deleted AS writes,
               tup_returned AS fetched
        FROM pg_stat_database WHERE datname = current_database()`;
      const info = await redis.info('stats');
      const commands = Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? NaN);
      return { xacts: Number(stats!.xacts), writes: Number(stats!.writes), fetched: Number(stats!.fetched), commands };
    }

    async function costSince(before: Awaited<ReturnType<typeof counters>>, submissions: number) {
      const after = await counters();
      const per = (key: keyof typeof after) => (after[key] - before[key]) / Math.max(1, submissions);
      return { xacts: per('xacts'), writes: per('writes'), fetched: per('fetched'), commands: per('commands') };
    }

    async function waitIdle() {
      while ((await prisma.submission.count({ where: { finishedAt: null } })) > 0)
        await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // Warm both processes (JIT, connection pools) before anything is measured.
    await closedLoop(8, 3, sendHw1);
    await waitIdle();

    for (const rate of RATES) {
      await measureRun(`open ${rate}/s`, `${rate}/s × ${SECONDS} s`, SECONDS, () => openLoop(rate, SECONDS, sendHw1));
    }
    if (HW2_SHARE > 0) {
      await measureRun(`open ${HW2_RATE}/s, ${HW2_SHARE * 100} % HW2`, `${HW2_RATE}/s × ${SECONDS} s`, SECONDS, () =>
        openLoop(HW2_RATE, SECONDS, sendMix),
      );
    }
    await measureRun(`closed ${CLIENTS} clients`, `${CLIENTS} clients × ${CLOSED_SECONDS} s`, CLOSED_SECONDS, () =>
      closedLoop(CLIENTS, CLOSED_SECONDS, sendHw1),
    );

    // The ceiling, same machine, same run, same files and clients.
    const trivialPort = await freePort();
    const trivial = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'trivial-upload-server.ts'), String(trivialPort), trivialDir],
      { stdio: 'ignore' },
    );
    try {
      for (;;) {
        try {
          if ((await fetch(`http://127.0.0.1:${trivialPort}/healthz`)).ok) break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const trivialUrl = `http://127.0.0.1:${trivialPort}/upload`;
      await closedLoop(8, 3, (n) => post(trivialUrl, hw1[n % hw1.length]!));
      const ceiling = await closedLoop(CLIENTS, CLOSED_SECONDS, (n) => post(trivialUrl, hw1[n % hw1.length]!));
      const ceilingHw2 = await closedLoop(8, 10, (n) => post(trivialUrl, hw2[n % hw2.length]!));
      report(results, {
        hw1PerSecond: ceiling.filter((u) => u.status === 202).length / CLOSED_SECONDS,
        hw2PerSecond: ceilingHw2.filter((u) => u.status === 202).length / 10,
      });
    } finally {
      trivial.kill('SIGTERM');
    }
  } finally {
    await Promise.all(services.map((service) => service.stop('SIGTERM')));
    await closeDatabase(db);
    redis.disconnect();
    await dropDatabase(ADMIN_URL, database);
    rmSync(storage, { recursive: true, force: true });
    rmSync(trivialDir, { recursive: true, force: true });
    agent.destroy();
  }
  if (PROFILE) {
    log();
    log(`## Where the time went (CPU profiles in ${path.relative(process.cwd(), profileDir)})`);
    log(summarizeProfiles(profileDir));
  }
}

function report(results: readonly Row[], ceiling: { hw1PerSecond: number; hw2PerSecond: number }) {
  log();
  log(
    '| run | offered | uploads | accepted | answers | upload p50/p90/p99/max ms | request→finished p50/p90/p99/max ms | accepted/s | scored/s | max backlog | per submission: DB xacts / rows written / rows read / Redis cmds |',
  );
  log('|---|---|---|---|---|---|---|---|---|---|---|');
  let closedAccepted = 0;
  for (const result of results) {
    const row = summarize(result);
    if (result.name.startsWith('closed')) closedAccepted = row.acceptedPerSecond;
    log(
      `| ${result.name} | ${result.offered} | ${result.uploads.length} | ${row.acceptedShare} | ${row.answers} | ${row.upload} | ${row.toFinished} | ${row.acceptedPerSecond.toFixed(1)} | ${row.scoredPerSecond.toFixed(1)} | ${row.maxBacklog} | ${result.cost.xacts.toFixed(1)} / ${result.cost.writes.toFixed(1)} / ${result.cost.fetched.toFixed(0)} / ${result.cost.commands.toFixed(0)} |`,
    );
  }
  log();
  const groups = Object.keys(results[0]?.cpuMs ?? {});
  log(`| run | CPU ms per submission: ${groups.join(' / ')} | total |`);
  log('|---|---|---|');
  for (const result of results) {
    const values = groups.map((group) => result.cpuMs[group]!);
    log(
      `| ${result.name} | ${values.map((value) => value.toFixed(1)).join(' / ')} | ${values.reduce((a, b) => a + b, 0).toFixed(1)} |`,
    );
  }
  log();
  log(`Trivial Fastify + @fastify/multipart server, same ${CLIENTS} clients, same files, same run:`);
  log(
    `- HW1: ${ceiling.hw1PerSecond.toFixed(0)} uploads/s; mljudge closed loop ${closedAccepted.toFixed(1)}/s = **${(closedAccepted / ceiling.hw1PerSecond).toFixed(2)}x** of the ceiling`,
  );
  log(`- HW2 (8 clients): ${ceiling.hw2PerSecond.toFixed(1)} uploads/s`);
}

function summarize(result: Row) {
  const counts = new Map<string, number>();
  for (const upload of result.uploads) counts.set(String(upload.status), (counts.get(String(upload.status)) ?? 0) + 1);
  const accepted = result.uploads.filter((upload) => upload.submissionId);
  const uploadMs = result.uploads.map((upload) => upload.end! - upload.start).sort((a, b) => a - b);
  const finishedAt = new Map(result.rows.map((row) => [row.id, row.finishedAt?.getTime()]));
  const toFinished = accepted
    .map((upload) => (finishedAt.get(upload.submissionId!) ?? NaN) - upload.start)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const lastFinished = Math.max(...result.rows.map((row) => row.finishedAt?.getTime() ?? 0));
  const firstStart = Math.min(...result.uploads.map((upload) => upload.start));
  const lastAnswer = Math.max(...result.uploads.map((upload) => upload.end!));
  const fmt = (sorted: number[]) =>
    `${ms(percentile(sorted, 50))}/${ms(percentile(sorted, 90))}/${ms(percentile(sorted, 99))}/${ms(sorted.at(-1) ?? NaN)}`;
  const statuses = [
    ...result.rows.reduce((map, row) => map.set(row.status, (map.get(row.status) ?? 0) + 1), new Map<string, number>()),
  ];
  return {
    acceptedShare: `${((100 * accepted.length) / result.uploads.length).toFixed(1)} %`,
    answers:
      [...counts].map(([status, count]) => `${status}: ${count}`).join(', ') +
      ` (${statuses.map(([s, c]) => `${s} ${c}`).join(', ')})`,
    upload: fmt(uploadMs),
    toFinished: fmt(toFinished),
    acceptedPerSecond: accepted.length / ((lastAnswer - firstStart) / 1000),
    scoredPerSecond: result.rows.length / ((lastFinished - firstStart) / 1000),
    maxBacklog: Math.max(0, ...result.backlog),
  };
}

await main();
