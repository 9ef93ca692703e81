/**
 * Leaderboard reads at course scale, seeded here: 100,000 students with 10 scored submissions each
 * (10^6 submissions and scores), planner statistics left stale (no ANALYZE, autovacuum off on the
 * bench's tables), as a busy server may have them. Our queries (a page read off the board index,
 * the size from BoardSize, a rank counted from the student's own key, a name search) are timed
 * call by call for p50 / p99 / max, beside the naive way (every best score through Prisma, sorted in
 * JavaScript) in the same run and database, the two taking turns; both must give the same rows.
 *
 *   node --import tsx bench/leaderboard.ts [students=100000] [calls=200] [submissions per student=10]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  applyMigrations,
  closeDatabase,
  createDatabase,
  dropDatabase,
  ensureDatabase,
  leaderboardPage,
  rankOf,
  saveTask,
  upsertCourse,
  withDatabaseName,
  type Database,
} from '@mljudge/db';
import { prismaOf } from '@mljudge/db/testing';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const STUDENTS = Number(process.argv[2] ?? 100_000);
const CALLS = Number(process.argv[3] ?? 200);
const PER_STUDENT = Number(process.argv[4] ?? 10);
/** The naive way takes seconds per call at this size: a few calls give its median. */
const NAIVE_CALLS = 5;
const PAGE = 50;

async function seed(db: Database): Promise<{ taskId: string; me: string }> {
  const course = await upsertCourse(db, 'bench', 'Bench course');
  const id = randomUUID();
  const { task } = await saveTask(
    db,
    {
      courseId: course.id,
      slug: 'board',
      title: 'Board',
      description: undefined,
      format: 'csv',
      metric: { name: 'accuracy' },
      direction: 'HIGHER',
      config: {},
      bundleSha256: 'x'.repeat(64),
      dailyQuota: 5,
      maxUploadBytes: 1 << 20,
      opensAt: undefined,
      deadline: undefined,
      revealAt: undefined,
    },
    (taskId, version) => `tasks/${taskId}/v${version}`,
    id,
  );
  // Stale statistics, as on a server whose autovacuum has not caught up: nothing here is analyzed.
  for (const table of ['User', 'Submission', 'Score', 'BestScore'])
    await prisma.$executeRawUnsafe(`ALTER TABLE "${table}" SET (autovacuum_enabled = false)`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, "displayName")
    SELECT gen_random_uuid(), 'b' || i || '@example.edu', 'Student ' || lpad(i::text, 6, '0')
    FROM generate_series(1, ${STUDENTS}) i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Submission" (id, "taskId", "userId", status, "artifactKey", "artifactSha256", "artifactBytes",
                              "originalName", "taskVersion", "createdAt", "finishedAt")
    SELECT gen_random_uuid(), '${task.id}', u.id, 'SCORED', 'bench', repeat('0', 64), 1, 'pred.csv', 1,
           now() - random() * interval '10 days', now()
    FROM "User" u, generate_series(1, ${PER_STUDENT})`);
  // Scores drawn so that ties exist (three decimals), as on a real accuracy board.
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Score" ("submissionId", split, value, metrics, "scorerVersion", "taskVersion")
    SELECT id, 'PUBLIC', v, jsonb_build_object('accuracy', v), 'bench', 1
    FROM (SELECT id, round(random()::numeric, 3)::float8 AS v FROM "Submission") scored`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "BestScore" ("taskId", split, "userId", "submissionId", value, "sortKey", "submittedAt", "scoredCount", "updatedAt")
    SELECT DISTINCT ON (s."userId") s."taskId", 'PUBLIC', s."userId", s.id, sc.value, -sc.value, s."createdAt", ${PER_STUDENT}, now()
    FROM "Submission" s JOIN "Score" sc ON sc."submissionId" = s.id
    ORDER BY s."userId", -sc.value, s."createdAt", s.id`);
  const me = await prisma.user.findUniqueOrThrow({ where: { email: `b${Math.floor(STUDENTS * 0.7)}@example.edu` } });
  return { taskId: task.id, me: me.id };
}

/** The naive way: every best score with its student, sorted in JavaScript. */
async function everyone(db: Database, taskId: string) {
  const rows = await prisma.bestScore.findMany({
    where: { taskId, split: 'PUBLIC' },
    include: { user: { select: { displayName: true } } },
  });
  rows.sort(
    (a, b) =>
      a.sortKey - b.sortKey ||
      a.submittedAt.getTime() - b.submittedAt.getTime() ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  return rows;
}

interface Timing {
  readonly min: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly result: unknown;
}

function timing(times: number[], result: unknown): Timing {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { min: times[0]!, p50: at(0.5), p99: at(0.99), max: times.at(-1)!, result };
}

async function timeCall(work: () => Promise<unknown>, into: number[]): Promise<unknown> {
  const started = performance.now();
  const result = await work();
  into.push(performance.now() - started);
  return result;
}

/**
 * Both ways of one read, taking turns: each of the `naiveCalls` rounds makes its share of our
 * `calls`, then one naive call, so that load on the machine falls on both alike. Two warm-up calls
 * of ours are not timed.
 */
async function timedSideBySide(
  ours: () => Promise<unknown>,
  naive: () => Promise<unknown>,
  calls: number,
  naiveCalls: number,
): Promise<{ ours: Timing; naive: Timing }> {
  await ours();
  await ours();
  const ourTimes: number[] = [];
  const naiveTimes: number[] = [];
  let ourResult: unknown;
  let naiveResult: unknown;
  for (let round = 0; round < naiveCalls; round++) {
    const share = Math.ceil((calls * (round + 1)) / naiveCalls) - Math.ceil((calls * round) / naiveCalls);
    for (let i = 0; i < share; i++) ourResult = await timeCall(ours, ourTimes);
    naiveResult = await timeCall(naive, naiveTimes);
  }
  return { ours: timing(ourTimes, ourResult), naive: timing(naiveTimes, naiveResult) };
}

/** Ours alone, after two untimed warm-up calls. */
async function timedAlone(ours: () => Promise<unknown>, calls: number): Promise<Timing> {
  await ours();
  await ours();
  const times: number[] = [];
  let result: unknown;
  for (let i = 0; i < calls; i++) result = await timeCall(ours, times);
  return timing(times, result);
}

const name = `mljudge_bench_board_${process.pid}`;
await ensureDatabase(ADMIN_URL, name);
const url = withDatabaseName(ADMIN_URL, name);
await applyMigrations(url);
const db = createDatabase(url);
const prisma = prismaOf(db);
try {
  const { taskId, me } = await seed(db);
  const deep = Math.floor(STUDENTS / PAGE / 2) * PAGE;
  // The cursor the page before `deep` hands out, as a client paging with Next holds it.
  const before = await leaderboardPage(db, { taskId, split: 'PUBLIC', limit: PAGE, offset: deep - PAGE });
  const cursor = before.next!;
  const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
    [
      'page 1 (50 rows)',
      async () =>
        (await leaderboardPage(db, { taskId, split: 'PUBLIC', limit: PAGE, offset: 0 })).rows.map((r) => r.userId),
      async () => (await everyone(db, taskId)).slice(0, PAGE).map((r) => r.userId),
    ],
    [
      `page at offset ${deep}`,
      async () =>
        (await leaderboardPage(db, { taskId, split: 'PUBLIC', limit: PAGE, offset: deep })).rows.map((r) => r.userId),
      async () => (await everyone(db, taskId)).slice(deep, deep + PAGE).map((r) => r.userId),
    ],
    [
      `page after the cursor at rank ${deep} (keyset)`,
      async () =>
        (await leaderboardPage(db, { taskId, split: 'PUBLIC', limit: PAGE, offset: 0, after: cursor })).rows.map(
          (r) => r.userId,
        ),
      async () => (await everyone(db, taskId)).slice(deep, deep + PAGE).map((r) => r.userId),
    ],
    [
      'my rank',
      () => rankOf(db, taskId, 'PUBLIC', me),
      async () => (await everyone(db, taskId)).findIndex((r) => r.userId === me) + 1,
    ],
    [
      'search "Student 00042"',
      async () =>
        (
          await leaderboardPage(db, { taskId, split: 'PUBLIC', limit: PAGE, offset: 0, search: 'Student 00042' })
        ).rows.map((r) => `${r.rank}:${r.userId}`),
      async () =>
        (await everyone(db, taskId))
          .map((r, i) => ({ r, rank: i + 1 }))
          .filter(({ r }) => r.user.displayName.includes('Student 00042'))
          .slice(0, PAGE)
          .map(({ r, rank }) => `${rank}:${r.userId}`),
    ],
  ];
  const submissions = await prisma.submission.count();
  console.log(
    `Leaderboard reads, ${STUDENTS.toLocaleString('en')} students, ${submissions.toLocaleString('en')} submissions, statistics stale, ${CALLS} calls each (PostgreSQL ${(await prisma.$queryRawUnsafe<Array<{ server_version: string }>>('SHOW server_version'))[0]!.server_version.split(' ')[0]})\n`,
  );
  console.log(
    '| read | ours min (ms) | ours p50 | ours p99 | ours max | load all + sort in JS, min / median / max (ms) | ratio of medians |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  if (process.env.BENCH_EXPLAIN === '1') {
    for (const [label, ours] of cases) {
      await prisma.$executeRawUnsafe("LOAD 'auto_explain'").catch(() => undefined);
      await prisma.$executeRawUnsafe('SET auto_explain.log_min_duration = 0').catch(() => undefined);
      console.log(label);
      await ours();
    }
  }
  const naiveTimes = new Map<string, Timing>();
  for (const [label, ours, naive] of cases) {
    const { ours: a, naive: b } = await timedSideBySide(ours, naive, CALLS, NAIVE_CALLS);
    naiveTimes.set(label, b);
    if (JSON.stringify(a.result) !== JSON.stringify(b.result)) throw new Error(`${label}: the two ways disagree`);
    console.log(
      `| ${label} | ${a.min.toFixed(2)} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ${a.max.toFixed(2)} | ${b.min.toFixed(0)} / ${b.p50.toFixed(0)} / ${b.max.toFixed(0)} | ${(b.p50 / a.p50).toFixed(0)}x |`,
    );
  }
  // What autovacuum would give on a normal server: a visibility map lets counts and skipped rows be
  // read from the index alone. Statistics stay stale (VACUUM without ANALYZE).
  await prisma.$executeRawUnsafe('VACUUM "BestScore"');
  console.log('\nAfter VACUUM "BestScore" (visibility map set, statistics still stale):\n');
  console.log('| read | ours min (ms) | ours p50 | ours p99 | ours max | ratio of medians to the naive way |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, ours] of cases) {
    const a = await timedAlone(ours, CALLS);
    console.log(
      `| ${label} | ${a.min.toFixed(2)} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ${a.max.toFixed(2)} | ${(naiveTimes.get(label)!.p50 / a.p50).toFixed(0)}x |`,
    );
  }
} finally {
  await closeDatabase(db);
  await dropDatabase(ADMIN_URL, name);
}
