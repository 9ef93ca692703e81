/**
 * Leaderboard reads over the BestScore summary. A page is read off the index on (task, split,
 * sortKey, submittedAt, userId) in the board's own order, never sorted; the board's size is kept in
 * BoardSize by a trigger, never counted; a rank is read off the rank tree another trigger keeps.
 * Each query is written so that its plan does not hinge on fresh planner statistics.
 */
import { prismaOf, type Database } from './client.ts';
import { Prisma, type Split } from './generated/prisma/client.ts';
import { nodesBelow, RANK_BUCKETS, rankBucketFloor, rankBucketOf } from './rank-buckets.ts';

export interface LeaderboardRow {
  readonly rank: number;
  readonly userId: string;
  readonly displayName: string;
  readonly value: number;
  readonly submissionId: string;
  readonly submittedAt: Date;
  readonly scoredCount: number;
}

/** Where a page ends in board order: the next page starts after this entry (keyset paging). */
export interface BoardCursor {
  readonly sortKey: number;
  readonly submittedAt: Date;
  readonly userId: string;
  /** The entry's rank, so the next page numbers on without counting. */
  readonly rank: number;
}

export interface LeaderboardQuery {
  readonly taskId: string;
  readonly split: Split;
  readonly limit: number;
  readonly offset: number;
  /** Start after this entry instead of at `offset`: an index range read, however deep the page. */
  readonly after?: BoardCursor | undefined;
  /** Only students whose display name contains this text (case-insensitive); ranks stay board ranks. */
  readonly search?: string | undefined;
}

/** `text` as a LIKE pattern matching itself anywhere (%, _ and \\ taken literally). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * LIMIT and OFFSET as literals: as parameters, a prepared statement's generic plan does not know a
 * page is 50 rows and may plan a scan and sort of the whole board for it.
 */
function pageClause(query: LeaderboardQuery) {
  const limit = Math.trunc(query.limit);
  const offset = Math.trunc(query.offset);
  if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(offset) || limit < 0 || offset < 0)
    throw new Error('a board page needs a non-negative integer limit and offset');
  return Prisma.raw(`LIMIT ${limit} OFFSET ${offset}`);
}

/**
 * A page of the board, best first; ties go to the earlier submission, then to the user id. `next`
 * is the cursor of the page's last entry when the board goes on (search pages page by offset).
 */
export async function leaderboardPage(
  database: Database,
  query: LeaderboardQuery,
): Promise<{ rows: LeaderboardRow[]; total: number; next: BoardCursor | null }> {
  if (query.search) return { ...(await searchPage(database, query, query.search)), next: null };
  const after = query.after;
  // A deep page by offset starts from its bucket's floor on the index instead of skipping the rows before it.
  const start = !after && query.offset > 0 ? await locateRank(database, query.taskId, query.split, query.offset) : null;
  if (start === 'past the end')
    return { rows: [], total: await boardSize(database, query.taskId, query.split), next: null };
  const [rows, total] = await Promise.all([
    prismaOf(database).$queryRaw<Array<Omit<LeaderboardRow, 'rank'> & { sortKey: number }>>`
      SELECT b."userId", u."displayName", b.value, b."submissionId", b."submittedAt", b."scoredCount", b."sortKey"
      FROM "BestScore" b JOIN "User" u ON u.id = b."userId"
      WHERE b."taskId" = ${query.taskId}::uuid AND b.split = ${query.split}::"Split"
        ${
          after
            ? Prisma.sql`AND (b."sortKey", b."submittedAt", b."userId") > (${after.sortKey}::float8, ${after.submittedAt}::timestamptz, ${after.userId}::uuid)`
            : Prisma.empty
        }
        ${start?.floor != null ? Prisma.sql`AND b."sortKey" >= ${start.floor}::float8` : Prisma.empty}
      ORDER BY b."sortKey", b."submittedAt", b."userId"
      ${pageClause(after ? { ...query, offset: 0 } : start ? { ...query, offset: start.skip } : query)}`,
    boardSize(database, query.taskId, query.split),
  ]);
  const first = after ? after.rank : query.offset;
  const ranked = rows.map(({ sortKey: _sortKey, ...row }, index) => ({ ...row, rank: first + index + 1 }));
  const last = rows.at(-1);
  const next =
    last && rows.length === query.limit && first + rows.length < total
      ? { sortKey: last.sortKey, submittedAt: last.submittedAt, userId: last.userId, rank: first + rows.length }
      : null;
  return { rows: ranked, total, next };
}

/**
 * Where the entry at 0-based rank `rank` is read from: the floor of its bucket (null: the board's
 * start) and how many entries from there come before it.
 */
async function locateRank(
  database: Database,
  taskId: string,
  split: Split,
  rank: number,
): Promise<{ floor: number | null; skip: number } | 'past the end'> {
  const [located] = await prismaOf(database).$queryRaw<Array<{ bucket: number; skip: number }>>`
    SELECT bucket, skip FROM mljudge_rank_locate(${taskId}::uuid, ${split}::"Split", ${Math.trunc(rank)}::int)`;
  if (!located || located.bucket >= RANK_BUCKETS) return 'past the end';
  return { floor: rankBucketFloor(located.bucket), skip: located.skip };
}

/** Students on a board. */
async function boardSize(database: Database, taskId: string, split: Split): Promise<number> {
  const size = await prismaOf(database).boardSize.findUnique({
    where: { taskId_split: { taskId, split } },
    select: { students: true },
  });
  return size?.students ?? 0;
}

/**
 * A student's rank on the board (1-based), or null when they have no scored submission: their own
 * key by primary key, then the entries ahead of it.
 */
export async function rankOf(database: Database, taskId: string, split: Split, userId: string): Promise<number | null> {
  const [me] = await prismaOf(database).$queryRaw<Array<{ sortKey: number; submittedAt: Date }>>`
    SELECT "sortKey", "submittedAt" FROM "BestScore"
    WHERE "taskId" = ${taskId}::uuid AND split = ${split}::"Split" AND "userId" = ${userId}::uuid`;
  return me ? 1 + (await entriesAhead(database, taskId, split, [{ ...me, userId }]))[0]! : null;
}

type BoardKey = { readonly sortKey: number; readonly submittedAt: Date; readonly userId: string };

/**
 * How many entries of a board come before each of `entries`, read rather than counted, in one round
 * trip: for each, the rank tree's nodes for the buckets below its own (at most 24 rows by primary
 * key), plus the entries of its own bucket ahead of it, an index range from the bucket's floor (a
 * few entries, or a tie's length). Parameterised lookups whose plans do not depend on statistics.
 */
async function entriesAhead(
  database: Database,
  taskId: string,
  split: Split,
  entries: readonly BoardKey[],
): Promise<number[]> {
  if (entries.length === 0) return [];
  const buckets = entries.map((entry) => rankBucketOf(entry.sortKey));
  const owners: number[] = [];
  const nodes: number[] = [];
  buckets.forEach((bucket, index) => {
    for (const node of nodesBelow(bucket)) {
      owners.push(index + 1);
      nodes.push(node);
    }
  });
  const rows = await prismaOf(database).$queryRaw<Array<{ below: bigint | null; within: bigint }>>`
    WITH entry AS (
      SELECT * FROM unnest(
        ${entries.map((entry) => entry.sortKey)}::float8[],
        ${entries.map((entry) => entry.submittedAt)}::timestamptz[],
        ${entries.map((entry) => entry.userId)}::uuid[],
        -- The lowest buckets' floor is below every number: minus infinity stands for it.
        ${buckets.map((bucket) => String(rankBucketFloor(bucket) ?? '-Infinity'))}::float8[]
      ) WITH ORDINALITY AS e("sortKey", "submittedAt", "userId", floor, position)
    ), path AS (
      SELECT * FROM unnest(${owners}::int[], ${nodes}::int[]) AS p(position, node)
    )
    SELECT
      (SELECT sum(n.students) FROM path p JOIN "BoardRankNode" n
         ON n."taskId" = ${taskId}::uuid AND n.split = ${split}::"Split" AND n.node = p.node
       WHERE p.position = e.position) AS below,
      (SELECT count(*) FROM "BestScore" b
       WHERE b."taskId" = ${taskId}::uuid AND b.split = ${split}::"Split" AND b."sortKey" >= e.floor
         AND (b."sortKey", b."submittedAt", b."userId") < (e."sortKey", e."submittedAt", e."userId")) AS within
    FROM entry e
    ORDER BY e.position`;
  return rows.map((row) => Number(row.below ?? 0) + Number(row.within));
}

/**
 * The students matching a search with their board entries: names first (the trigram index on
 * User.displayName), then each match's entry by primary key, so the board is never walked whatever
 * the planner believes about its size. The LIMIT keeps the entry a lookup per name: flattened into a
 * join, stale statistics once made it a scan of the whole board.
 */
function matchingEntries(query: LeaderboardQuery, search: string) {
  return Prisma.sql`
    WITH named AS MATERIALIZED (
      SELECT u.id, u."displayName" FROM "User" u WHERE u."displayName" ILIKE ${containsPattern(search)}
    )
    SELECT named."displayName", b.*
    FROM named CROSS JOIN LATERAL (
      SELECT * FROM "BestScore" entry
      WHERE entry."taskId" = ${query.taskId}::uuid AND entry.split = ${query.split}::"Split" AND entry."userId" = named.id
      LIMIT 1
    ) b`;
}

/** A page of the students matching a search, each with their rank on the whole board (read like `rankOf`'s). */
async function searchPage(
  database: Database,
  query: LeaderboardQuery,
  search: string,
): Promise<{ rows: LeaderboardRow[]; total: number }> {
  const rows = await prismaOf(database).$queryRaw<
    Array<Omit<LeaderboardRow, 'rank'> & { sortKey: number; total: bigint }>
  >`
    SELECT m."userId", m."displayName", m.value, m."submissionId", m."submittedAt", m."scoredCount", m."sortKey",
           count(*) OVER () AS total
    FROM (${matchingEntries(query, search)}) m
    ORDER BY m."sortKey", m."submittedAt", m."userId"
    ${pageClause(query)}`;
  // A page past the end has no rows to carry the count.
  const total = rows.length > 0 ? Number(rows[0]!.total) : await countMatches(database, query, search);
  const ahead = await entriesAhead(database, query.taskId, query.split, rows);
  return {
    rows: rows.map(({ total: _total, sortKey: _sortKey, ...row }, index) => ({ ...row, rank: ahead[index]! + 1 })),
    total,
  };
}

async function countMatches(database: Database, query: LeaderboardQuery, search: string): Promise<number> {
  const [row] = await prismaOf(database).$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS total FROM (${matchingEntries(query, search)}) m`;
  return Number(row?.total ?? 0);
}

export interface BoardEntry {
  readonly rank: number;
  readonly value: number;
  /** Every metric of the entry's submission: baselines may set thresholds on several. */
  readonly metrics: Record<string, number>;
}

/** A student's own entry on the public board: rank, best value and that submission's metrics. */
export async function publicEntryOf(database: Database, taskId: string, userId: string): Promise<BoardEntry | null> {
  const [rank, best] = await Promise.all([
    rankOf(database, taskId, 'PUBLIC', userId),
    prismaOf(database).$queryRaw<Array<{ value: number; metrics: Record<string, number> }>>`
      SELECT b.value, sc.metrics FROM "BestScore" b
      JOIN "Score" sc ON sc."submissionId" = b."submissionId" AND sc.split = 'PUBLIC'
      WHERE b."taskId" = ${taskId}::uuid AND b.split = 'PUBLIC' AND b."userId" = ${userId}::uuid`,
  ]);
  const row = best[0];
  return rank !== null && row ? { rank, value: row.value, metrics: row.metrics } : null;
}

/** Scored, on-time submissions per student of a task (the private board's "submissions" column). */
export async function scoredCounts(database: Database, taskId: string): Promise<Map<string, number>> {
  const rows = await prismaOf(database).submission.groupBy({
    by: ['userId'],
    where: { taskId, status: 'SCORED', late: false },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.userId, row._count._all]));
}
