/**
 * Ranks read off the rank tree must be the ranks of the board's order, however entries come, move
 * and go: checked here against the board sorted in JavaScript, on keys chosen to be awkward for the
 * tree's buckets (ties, -0 and 0, bucket edges, subnormals, huge and negative keys).
 */
import { leaderboardPage, rankOf } from '@mljudge/db';
import { rankBucketOf } from '../../packages/db/src/rank-buckets.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.ts';
import { seedCourse, seedTaskRow } from '../support/fixtures.ts';
import { SeededRandom } from '@mljudge/course-pack';

const database = useTestDatabase();
let courseId: string;

beforeAll(async () => {
  courseId = (await seedCourse(database.db)).id;
});

const AWKWARD = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  0.75,
  -0.75,
  1e-310,
  -1e-310,
  5e-324,
  -5e-324,
  1.2345678901234567e300,
  -1.2345678901234567e300,
  0.1 + 0.2,
  0.3,
  1.000244140625,
  1.0002441406249998,
  0.9997558593749999,
  2 ** -1022,
];

interface Entry {
  userId: string;
  sortKey: number;
  submittedAt: Date;
}

/** The board in its order, ranked, from the table itself, sorted here. */
async function expectedRanks(taskId: string): Promise<Map<string, number>> {
  const rows = await database.prisma.bestScore.findMany({ where: { taskId, split: 'PUBLIC' } });
  rows.sort(
    (a, b) =>
      a.sortKey - b.sortKey ||
      a.submittedAt.getTime() - b.submittedAt.getTime() ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  return new Map(rows.map((row, index) => [row.userId, index + 1]));
}

async function expectRanksRight(taskId: string): Promise<void> {
  const expected = await expectedRanks(taskId);
  const read = new Map<string, number | null>();
  for (const userId of expected.keys()) read.set(userId, await rankOf(database.db, taskId, 'PUBLIC', userId));
  expect(read).toEqual(expected);
  const page = await leaderboardPage(database.db, { taskId, split: 'PUBLIC', limit: 500, offset: 0, search: 'Ranked' });
  expect(page.rows.map((row) => [row.userId, row.rank])).toEqual(
    [...expected].filter(([userId]) => page.rows.some((row) => row.userId === userId)),
  );
  expect(page.total).toBe(expected.size);
  // A page at any offset is the board's slice there, however it is found.
  const order = [...expected.keys()];
  for (let offset = 0; offset <= order.length + 2; offset += 4) {
    const slice = await leaderboardPage(database.db, { taskId, split: 'PUBLIC', limit: 7, offset });
    expect(slice.rows.map((row) => [row.rank, row.userId])).toEqual(
      order.slice(offset, offset + 7).map((userId, index) => [offset + index + 1, userId]),
    );
  }
}

/** Students with one scored submission each, their board entries written as the scorer would leave them. */
async function board(taskId: string, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    await database.prisma.user.create({
      data: {
        id: entry.userId,
        email: `${entry.userId}@example.edu`,
        displayName: `Ranked ${entry.userId.slice(0, 8)}`,
      },
    });
    const submission = await database.prisma.submission.create({
      data: {
        taskId,
        userId: entry.userId,
        status: 'SCORED',
        artifactKey: 'k',
        artifactSha256: '0'.repeat(64),
        artifactBytes: 1,
        originalName: 'p.csv',
        taskVersion: 1,
        createdAt: entry.submittedAt,
      },
    });
    await database.prisma.bestScore.create({
      data: {
        taskId,
        split: 'PUBLIC',
        userId: entry.userId,
        submissionId: submission.id,
        value: -entry.sortKey,
        sortKey: entry.sortKey,
        submittedAt: entry.submittedAt,
        scoredCount: 1,
      },
    });
  }
}

describe('ranks read off the rank tree', () => {
  it('bucket keys in SQL exactly as in TypeScript', async () => {
    // And doubles from random bit patterns: every sign, exponent and mantissa (NaN is never a key).
    const random = new SeededRandom(64);
    const bits = new DataView(new ArrayBuffer(8));
    const patterns = Array.from({ length: 3000 }, () => {
      bits.setUint32(0, random.integer(2 ** 32));
      bits.setUint32(4, random.integer(2 ** 32));
      return bits.getFloat64(0);
    }).filter((key) => !Number.isNaN(key));
    const keys = [...AWKWARD, Infinity, -Infinity, 123.456, -98765.4321, 2 ** 52 + 1, ...patterns];
    const rows = await database.prisma.$queryRaw<Array<{ bucket: number }>>`
      SELECT mljudge_rank_bucket(key) AS bucket FROM unnest(${keys.map(String)}::float8[]) WITH ORDINALITY AS k(key, n) ORDER BY n`;
    expect(rows.map((row) => row.bucket)).toEqual(keys.map(rankBucketOf));
  });

  it('are the board order, through entries added, moved within and across buckets, and removed', async () => {
    const task = await seedTaskRow(database.db, courseId, { direction: 'HIGHER' });
    const random = new SeededRandom(20261202);
    const base = Date.UTC(2026, 10, 1);
    const entries: Entry[] = Array.from({ length: 90 }, (_, index) => ({
      userId: crypto.randomUUID(),
      // Awkward keys, repeated for ties, and ordinary ones close to each other (same bucket).
      sortKey: index < 40 ? AWKWARD[index % AWKWARD.length]! : -0.8 + random.integer(20) * 1e-5,
      // Ties on the key and on the time, broken by the user id.
      submittedAt: new Date(base + random.integer(5) * 1000),
    }));
    await board(task.id, entries);
    await expectRanksRight(task.id);

    for (const [index, entry] of entries.entries()) {
      if (index % 3 === 0) {
        // Across buckets, or to -0 from 0, or within its bucket.
        const sortKey = index % 2 === 0 ? AWKWARD[(index * 7) % AWKWARD.length]! : entry.sortKey + 1e-9;
        await database.prisma.bestScore.update({
          where: { taskId_split_userId: { taskId: task.id, split: 'PUBLIC', userId: entry.userId } },
          data: { sortKey, value: -sortKey },
        });
      } else if (index % 5 === 0) {
        await database.prisma.bestScore.delete({
          where: { taskId_split_userId: { taskId: task.id, split: 'PUBLIC', userId: entry.userId } },
        });
      }
    }
    await expectRanksRight(task.id);
    // Every node counts what its buckets hold: none is ever negative.
    const nodes = await database.prisma.boardRankNode.findMany({ where: { taskId: task.id } });
    expect(nodes.every((node) => node.students >= 0)).toBe(true);

    // Many entries in one statement (rescoring's way): moved together, then all removed.
    await database.prisma.$executeRaw`
      UPDATE "BestScore" SET "sortKey" = "sortKey" * 2 - 0.25 WHERE "taskId" = ${task.id}::uuid AND "userId"::text < '8'`;
    await expectRanksRight(task.id);
    await database.prisma.bestScore.deleteMany({ where: { taskId: task.id } });
    const emptied = await database.prisma.boardRankNode.findMany({ where: { taskId: task.id } });
    expect(emptied.filter((node) => node.students !== 0)).toEqual([]);
  });

  it('are gone with their task', async () => {
    const task = await seedTaskRow(database.db, courseId, { direction: 'LOWER' });
    await board(task.id, [{ userId: crypto.randomUUID(), sortKey: 0.25, submittedAt: new Date() }]);
    await database.prisma.task.delete({ where: { id: task.id } });
    expect(await database.prisma.boardRankNode.count({ where: { taskId: task.id } })).toBe(0);
  });
});
