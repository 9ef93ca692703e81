/**
 * What the board's rank tree costs each scored submission, inside Postgres. A fresh database on the
 * local server, one task with S students; each round creates R running submissions and commits them
 * all through mljudge_record_scores, as workers do (the Submission update, the Score rows, the
 * BestScore upsert whose statement triggers keep BoardSize and the rank tree), in one statement so
 * that the client's round trips are not in the figure. Variants take turns round by round:
 *
 * - no tree: the rank tree's triggers disabled (BoardSize still kept), the floor;
 * - tree, text buckets: the tree with mljudge_rank_bucket as first written (float8 -> hex -> bit(64));
 * - tree, inlined buckets: the tree as migrated now.
 *
 * Scores are random, so some submissions improve a student's best and move their entry (bucket
 * moves), most do not, as in a rush.
 *
 *   node --import tsx bench/board-writes.ts [students=500] [rounds=12] [submissions per round=2000]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  applyMigrations,
  closeDatabase,
  createDatabase,
  dropDatabase,
  ensureDatabase,
  withDatabaseName,
} from '@mljudge/db';
import { prismaOf } from '@mljudge/db/testing';
import { seedCourse, seedTaskRow } from '../tests/support/fixtures.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const STUDENTS = Number(process.argv[2] ?? 500);
const ROUNDS = Number(process.argv[3] ?? 12);
const PER_ROUND = Number(process.argv[4] ?? 2000);
const TREE_TRIGGERS = ['BestScore_board_rank_tree_insert', 'BestScore_board_rank_tree_update'];

const migrations = fileURLToPath(new URL('../prisma/migrations/', import.meta.url));
/** The bucket function of the migration that made the tree: the first variant's. */
const textBuckets = readFileSync(`${migrations}20261202000500_board_rank_tree/migration.sql`, 'utf8').match(
  /CREATE FUNCTION mljudge_rank_bucket[\s\S]*?\$\$;/,
)![0];
const inlinedBuckets = readFileSync(`${migrations}20261202000700_rank_bucket_inlined/migration.sql`, 'utf8').match(
  /CREATE OR REPLACE FUNCTION mljudge_rank_bucket[\s\S]*?\$\$;/,
)![0];

interface Variant {
  readonly name: string;
  readonly tree: boolean;
  readonly buckets: string;
}
const variants: Variant[] = [
  { name: 'no tree (floor)', tree: false, buckets: inlinedBuckets },
  { name: 'tree, text buckets (first version)', tree: true, buckets: textBuckets },
  { name: 'tree, inlined buckets (now)', tree: true, buckets: inlinedBuckets },
];

const name = `mljudge_bench_writes_${process.pid}`;
await ensureDatabase(ADMIN_URL, name);
const url = withDatabaseName(ADMIN_URL, name);
await applyMigrations(url);
const db = createDatabase(url);
const prisma = prismaOf(db);
const sql = (text: string) => prisma.$executeRawUnsafe(text);
try {
  const task = await seedTaskRow(db, (await seedCourse(db, 'bench')).id, { slug: 'rush', dailyQuota: 1000 });
  await sql(`
    INSERT INTO "User" (id, email, "displayName")
    SELECT gen_random_uuid(), 'w' || i || '@example.edu', 'Student ' || i FROM generate_series(1, ${STUDENTS}) i`);

  // Variant `v`'s round: R running submissions, then all of them committed by the scoring function.
  const round = async (variant: Variant): Promise<number> => {
    await sql(`CREATE OR REPLACE ${variant.buckets.replace(/^CREATE (OR REPLACE )?/, '')}`);
    for (const trigger of TREE_TRIGGERS)
      await sql(`ALTER TABLE "BestScore" ${variant.tree ? 'ENABLE' : 'DISABLE'} TRIGGER "${trigger}"`);
    await sql(`
      INSERT INTO "Submission" (id, "taskId", "userId", status, attempts, "artifactKey", "artifactSha256",
                                "artifactBytes", "originalName", "taskVersion")
      SELECT gen_random_uuid(), '${task.id}', u.id, 'RUNNING', 1, 'bench', repeat('0', 64), 1, 'pred.csv', 1
      FROM (SELECT id FROM "User" ORDER BY random()) u, generate_series(1, ceil(${PER_ROUND}::float8 / ${STUDENTS})::int)
      LIMIT ${PER_ROUND}`);
    const started = performance.now();
    await sql(`
      SELECT count(*) FROM (
        SELECT s.id, round(random()::numeric, 4)::float8 AS v FROM "Submission" s WHERE s.status = 'RUNNING'
      ) running, LATERAL mljudge_record_scores(running.id, 1, 'bench', 1, 1, '{}'::jsonb,
        jsonb_build_array(jsonb_build_object('split', 'PUBLIC', 'value', running.v, 'metrics', '{}'::jsonb),
                          jsonb_build_object('split', 'PRIVATE', 'value', running.v, 'metrics', '{}'::jsonb)))`);
    return (performance.now() - started) / PER_ROUND;
  };

  // One round each unmeasured: the first inserts every student's entry, and plans get cached.
  for (const variant of variants) await round(variant);
  const times = new Map(variants.map((variant) => [variant, [] as number[]]));
  for (let r = 0; r < ROUNDS; r++) for (const variant of variants) times.get(variant)!.push(await round(variant));

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const floor = median(times.get(variants[0]!)!);
  console.log(
    `# bench/board-writes.ts: ${STUDENTS} students, ${ROUNDS} rounds x ${PER_ROUND} submissions per variant, turns taken\n`,
  );
  console.log('| variant | ms per scored submission, min / median / max | tree cost above the floor |');
  console.log('|---|---|---|');
  for (const variant of variants) {
    const values = times.get(variant)!;
    const mid = median(values);
    const cost = variant.tree ? `${((mid - floor) * 1000).toFixed(0)} us` : '';
    console.log(
      `| ${variant.name} | ${Math.min(...values).toFixed(3)} / ${mid.toFixed(3)} / ${Math.max(...values).toFixed(3)} | ${cost} |`,
    );
  }
} finally {
  await closeDatabase(db);
  await dropDatabase(ADMIN_URL, name);
}
