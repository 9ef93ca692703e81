/**
 * Leaderboard reads at course scale, side by side with the naive way in the same run and database:
 * our queries (an index range scan for a page, a row comparison for "my rank", a window function for
 * a search) against loading every student's best score through Prisma and sorting in JavaScript.
 * Both must give the same rows; the figures are the median of repeated calls on a warm database.
 *
 *   node --import tsx bench/leaderboard.ts [students=10000] [repetitions=15]
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
const STUDENTS = Number(process.argv[2] ?? 10_000);
const REPETITIONS = Number(process.argv[3] ?? 15);
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
  // Scores drawn so that ties exist (three decimals), as on a real accuracy board.
  await prisma.$executeRawUnsafe(`
    WITH people AS (
      INSERT INTO "User" (id, email, "displayName")
      SELECT gen_random_uuid(), 'b' || i || '@example.edu', 'Student ' || lpad(i::text, 5, '0') FROM generate_series(1, ${STUDENTS}) i
      RETURNING id
    )
    INSERT INTO "BestScore" ("taskId", split, "userId", "submissionId", value, "sortKey", "submittedAt", "scoredCount", "updatedAt")
    SELECT '${task.id}', 'PUBLIC', id, gen_random_uuid(), v, -v, now() - random() * interval '10 days', 1 + (random() * 20)::int, now()
    FROM (SELECT id, round(random()::numeric, 3)::float8 AS v FROM people) scored`);
  await prisma.$executeRawUnsafe('ANALYZE "BestScore"; ANALYZE "User"');
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

async function median(work: () => Promise<unknown>): Promise<{ ms: number; result: unknown }> {
  let result: unknown;
  const times: number[] = [];
  for (let i = 0; i < REPETITIONS + 2; i++) {
    const started = performance.now();
    result = await work();
    if (i >= 2) times.push(performance.now() - started); // two warm-up calls
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result };
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
      'my rank',
      () => rankOf(db, taskId, 'PUBLIC', me),
      async () => (await everyone(db, taskId)).findIndex((r) => r.userId === me) + 1,
    ],
    [
      'search "Student 0004"',
      async () =>
        (
          await leaderboardPage(db, { taskId, split: 'PUBLIC', limit: PAGE, offset: 0, search: 'Student 0004' })
        ).rows.map((r) => `${r.rank}:${r.userId}`),
      async () =>
        (await everyone(db, taskId))
          .map((r, i) => ({ r, rank: i + 1 }))
          .filter(({ r }) => r.user.displayName.includes('Student 0004'))
          .slice(0, PAGE)
          .map(({ r, rank }) => `${rank}:${r.userId}`),
    ],
  ];
  console.log(
    `Leaderboard reads, ${STUDENTS.toLocaleString('en')} students, median of ${REPETITIONS} calls (PostgreSQL ${(await prisma.$queryRawUnsafe<Array<{ server_version: string }>>('SHOW server_version'))[0]!.server_version.split(' ')[0]})\n`,
  );
  console.log('| read | ours (ms) | load all + sort in JS (ms) | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const [label, ours, naive] of cases) {
    const a = await median(ours);
    const b = await median(naive);
    if (JSON.stringify(a.result) !== JSON.stringify(b.result)) throw new Error(`${label}: the two ways disagree`);
    console.log(`| ${label} | ${a.ms.toFixed(2)} | ${b.ms.toFixed(2)} | ${(b.ms / a.ms).toFixed(1)}x |`);
  }
} finally {
  await closeDatabase(db);
  await dropDatabase(ADMIN_URL, name);
}
