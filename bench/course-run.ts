/**
 * A scripted course run: real api and worker processes on a fresh database, S students x N submissions
 * on HW1 and on HW2 (full size), some final selections; then the gradebook exported by the API is
 * compared with an independent recomputation from the Submission and Score tables (plain SQL and loops,
 * none of the service's grading code). Usage: node --import tsx bench/course-run.ts [students] [submissions]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  createApiToken,
  closeDatabase,
  createDatabase,
  dropDatabase,
  ensureDatabase,
  applyMigrations,
  setMembership,
  upsertCourse,
  upsertUser,
  withDatabaseName,
} from '@mljudge/db';
import { hw1Covid, hw2Phoneme, SeededRandom, writeBundle } from '@mljudge/course-pack';
import { MljudgeClient } from '@mljudge/client';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { freePort, startService } from '../tests/support/processes.ts';
import { prismaOf } from '@mljudge/db/testing';

const STUDENTS = Number(process.argv[2] ?? 200);
const SUBMISSIONS = Number(process.argv[3] ?? 5);
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = 8;

const log = (line: string) => process.stdout.write(`${line}\n`);
const database = `mljudge_course_run_${randomBytes(4).toString('hex')}`;
const storage = mkdtempSync(path.join(tmpdir(), 'mljudge-course-run-'));

async function pool<T>(items: readonly T[], worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await worker(items[next++]!);
    }),
  );
}

const parsedTruth = new Map<string, { header: string; ids: string[]; values: string[] }>();

/** Prediction files: truth lines with a share of rows made wrong, one quality level per submission. */
function predictions(solutionCsv: string, kind: 'number' | 'label', random: SeededRandom, noise: number): string {
  let truth = parsedTruth.get(solutionCsv);
  if (!truth) {
    const lines = solutionCsv.trimEnd().split('\n');
    truth = { header: lines[0]!.split(',').slice(0, 2).join(','), ids: [], values: [] };
    for (let i = 1; i < lines.length; i++) {
      const [id, value] = lines[i]!.split(',');
      truth.ids.push(id!);
      truth.values.push(value!);
    }
    parsedTruth.set(solutionCsv, truth);
  }
  const out = new Array<string>(truth.ids.length + 1);
  out[0] = truth.header;
  for (let i = 0; i < truth.ids.length; i++) {
    const value = truth.values[i]!;
    out[i + 1] =
      kind === 'number'
        ? `${truth.ids[i]},${(Number(value) + noise * random.normal()).toFixed(4)}`
        : `${truth.ids[i]},${random.next() < noise ? random.integer(41) : value}`;
  }
  return `${out.join('\n')}\n`;
}

async function main(): Promise<void> {
  const started = performance.now();
  await ensureDatabase(ADMIN_URL, database);
  const url = withDatabaseName(ADMIN_URL, database);
  await applyMigrations(url);
  const db = createDatabase(url);
  const prisma = prismaOf(db);
  const course = await upsertCourse(db, 'run2023', 'Course run', 'Asia/Taipei');
  const ta = await upsertUser(db, 'ta@run.edu', 'TA');
  await setMembership(db, course.id, ta.id, 'TA');
  const taToken = (await createApiToken(db, ta.id, 'run')).token;
  const students: Array<{ email: string; token: string }> = [];
  for (let i = 0; i < STUDENTS; i++) {
    const user = await upsertUser(db, `s${String(i).padStart(4, '0')}@run.edu`, `Student ${i}`);
    await setMembership(db, course.id, user.id, 'STUDENT');
    students.push({ email: user.email, token: (await createApiToken(db, user.id, 'run')).token });
  }

  const apiPort = await freePort();
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    STORAGE_DIR: storage,
    QUEUE_PREFIX: `course-run-${database}`,
    API_PORT: String(apiPort),
    WORKER_HEALTH_PORT: String(await freePort()),
    WORKER_CONCURRENCY: '2',
  };
  const api = await startService('api', env);
  const worker = await startService('worker', env);
  const base = `http://127.0.0.1:${apiPort}`;
  const client = new MljudgeClient(base, taToken);
  const bundles = path.join(storage, 'bundles');
  const homeworks = [
    { homework: hw1Covid, kind: 'number' as const, noise: [0.6, 0.9, 1.1, 1.4, 2.0] },
    { homework: hw2Phoneme, kind: 'label' as const, noise: [0.1, 0.2, 0.3, 0.45, 0.6] },
  ];
  const solutions = new Map<string, string>();
  for (const { homework } of homeworks) {
    const written = await writeBundle(homework, bundles);
    await client.pushTaskBundle('run2023', written.directory);
    solutions.set(homework.slug, readFileSync(path.join(written.directory, 'solution.csv'), 'utf8'));
  }
  const setupDone = performance.now();
  log(`setup: ${STUDENTS} students, 2 tasks, ${((setupDone - started) / 1000).toFixed(1)} s`);

  let uploaded = 0;
  const jobs = students.flatMap((student, s) =>
    homeworks.flatMap(({ homework, kind, noise }) =>
      Array.from({ length: SUBMISSIONS }, (_, k) => ({
        student,
        s,
        homework,
        kind,
        noise: noise[(s + k) % noise.length]!,
        k,
      })),
    ),
  );
  await pool(jobs, async ({ student, s, homework, kind, noise, k }) => {
    const content = predictions(
      solutions.get(homework.slug)!,
      kind,
      new SeededRandom(s * 100 + k + (kind === 'label' ? 7 : 0)),
      noise,
    );
    const form = new FormData();
    form.append('file', new Blob([content]), 'pred.csv');
    const response = await fetch(`${base}/v1/tasks/${homework.slug}/submissions`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${student.token}` },
    });
    if (response.status !== 202) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    uploaded++;
  });
  const uploadsDone = performance.now();
  log(`uploads: ${uploaded} in ${((uploadsDone - setupDone) / 1000).toFixed(1)} s`);
  for (;;) {
    const pending = await prisma.submission.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } });
    if (pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const scoringDone = performance.now();
  const statuses = await prisma.submission.groupBy({ by: ['status'], _count: { _all: true } });
  log(
    `scoring drained ${((scoringDone - uploadsDone) / 1000).toFixed(1)} s after the last upload; statuses ${JSON.stringify(Object.fromEntries(statuses.map((row) => [row.status, row._count._all])))}`,
  );

  // Every third student selects their first and last submission of each task.
  const selectionTargets = await prisma.submission.findMany({
    where: { status: 'SCORED' },
    orderBy: { createdAt: 'asc' },
    include: { user: true },
  });
  const firstAndLast = new Map<string, string[]>();
  for (const submission of selectionTargets) {
    const key = `${submission.userId}:${submission.taskId}`;
    const list = firstAndLast.get(key) ?? [];
    list.push(submission.id);
    firstAndLast.set(key, list);
  }
  const tokenOf = new Map(students.map((student) => [student.email, student.token]));
  let selections = 0;
  for (const [key, ids] of firstAndLast) {
    const user = selectionTargets.find((submission) => `${submission.userId}:${submission.taskId}` === key)!.user;
    if (Number(user.email.slice(1, 5)) % 3 !== 0) continue;
    for (const id of [ids[0]!, ids[ids.length - 1]!]) {
      const response = await fetch(`${base}/v1/submissions/${id}/selection`, {
        method: 'PUT',
        body: JSON.stringify({ selected: true }),
        headers: { authorization: `Bearer ${tokenOf.get(user.email)}`, 'content-type': 'application/json' },
      });
      if (!response.ok) throw new Error(`selection failed: ${await response.text()}`);
      selections++;
    }
  }
  const gradebookResponse = await fetch(`${base}/v1/courses/run2023/gradebook.csv`, {
    headers: { authorization: `Bearer ${taToken}` },
  });
  const gradebook = (await gradebookResponse.text())
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
  const exportDone = performance.now();
  log(`selections: ${selections}; gradebook exported in ${((exportDone - scoringDone) / 1000).toFixed(1)} s`);

  // Independent recomputation, straight from the tables.
  const client2 = new pg.Client({ connectionString: url });
  await client2.connect();
  const { rows } = await client2.query<{
    email: string;
    slug: string;
    direction: string;
    id: string;
    created: Date;
    selected: boolean;
    pub: number;
    prv: number;
  }>(`
    SELECT u.email, t.slug, t.direction::text, s.id, s."createdAt" AS created, s.selected, pub.value AS pub, prv.value AS prv
    FROM "Submission" s JOIN "User" u ON u.id = s."userId" JOIN "Task" t ON t.id = s."taskId"
    JOIN "Score" pub ON pub."submissionId" = s.id AND pub.split = 'PUBLIC'
    JOIN "Score" prv ON prv."submissionId" = s.id AND prv.split = 'PRIVATE'
    WHERE s.status = 'SCORED' AND NOT s.late`);
  await client2.end();
  const thresholds = new Map(
    homeworks.map(({ homework }) => {
      const yaml = parseYaml(readFileSync(path.join(bundles, homework.slug, 'task.yaml'), 'utf8')) as {
        baselines: Array<{ public: number }>;
      };
      return [homework.slug, yaml.baselines.map((baseline) => baseline.public)];
    }),
  );
  const expected = new Map<string, number>();
  const grouped = new Map<string, typeof rows>();
  for (const row of rows)
    grouped.set(`${row.email}|${row.slug}`, [...(grouped.get(`${row.email}|${row.slug}`) ?? []), row]);
  for (const [key, list] of grouped) {
    const [, slug] = key.split('|') as [string, string];
    const better = (a: number, b: number) => (list[0]!.direction === 'HIGHER' ? b - a : a - b);
    const byPublic = [...list].sort(
      (a, b) => better(a.pub, b.pub) || a.created.getTime() - b.created.getTime() || a.id.localeCompare(b.id),
    );
    const candidates = list.some((row) => row.selected) ? list.filter((row) => row.selected) : byPublic.slice(0, 2);
    const bestPrivate = [...candidates].sort((a, b) => better(a.prv, b.prv))[0]!.prv;
    const passes = (value: number, threshold: number) =>
      list[0]!.direction === 'HIGHER' ? value >= threshold : value <= threshold;
    const points =
      thresholds.get(slug)!.filter((t) => passes(byPublic[0]!.pub, t)).length * 0.5 +
      thresholds.get(slug)!.filter((t) => passes(bestPrivate, t)).length * 0.5;
    expected.set(key, points);
  }
  const header = gradebook[0]!;
  let mismatches = 0;
  for (const cells of gradebook.slice(1)) {
    for (const { homework } of homeworks) {
      const got = Number(cells[header.indexOf(`${homework.slug}_points`)]);
      const want = expected.get(`${cells[0]}|${homework.slug}`) ?? 0;
      if (got !== want) {
        mismatches++;
        if (mismatches <= 5) log(`MISMATCH ${cells[0]} ${homework.slug}: gradebook ${got}, recomputed ${want}`);
      }
    }
  }
  log(`gradebook rows: ${gradebook.length - 1}; mismatches against the independent recomputation: ${mismatches}`);
  log(`total run time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await worker.stop();
  await api.stop();
  await closeDatabase(db);
  await dropDatabase(ADMIN_URL, database);
  rmSync(storage, { recursive: true, force: true });
  if (mismatches > 0) process.exitCode = 1;
}

await main();
