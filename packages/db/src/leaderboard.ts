/**
 * Leaderboard reads over the BestScore summary: an index range scan on (task, split, sortKey,
 * submittedAt), so a page costs the same with 20 or 2,000 students.
 */
import type { DbOrTx } from './client.ts';
import type { Split } from './generated/prisma/client.ts';

export interface LeaderboardRow {
  readonly rank: number;
  readonly userId: string;
  readonly displayName: string;
  readonly value: number;
  readonly submissionId: string;
  readonly submittedAt: Date;
  readonly scoredCount: number;
}

export interface LeaderboardQuery {
  readonly taskId: string;
  readonly split: Split;
  readonly limit: number;
  readonly offset: number;
  /** Only students whose display name contains this text (case-insensitive); ranks stay board ranks. */
  readonly search?: string | undefined;
}

/** `text` as a LIKE pattern matching itself anywhere (%, _ and \\ taken literally). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of the board, best first; ties go to the earlier submission, then to the user id. */
export async function leaderboardPage(
  db: DbOrTx,
  query: LeaderboardQuery,
): Promise<{ rows: LeaderboardRow[]; total: number }> {
  if (query.search) return searchPage(db, query, query.search);
  const [rows, total] = await Promise.all([
    db.$queryRaw<Array<Omit<LeaderboardRow, 'rank'>>>`
      SELECT b."userId", u."displayName", b.value, b."submissionId", b."submittedAt", b."scoredCount"
      FROM "BestScore" b JOIN "User" u ON u.id = b."userId"
      WHERE b."taskId" = ${query.taskId}::uuid AND b.split = ${query.split}::"Split"
      ORDER BY b."sortKey", b."submittedAt", b."userId"
      LIMIT ${query.limit} OFFSET ${query.offset}`,
    db.bestScore.count({ where: { taskId: query.taskId, split: query.split } }),
  ]);
  return { rows: rows.map((row, index) => ({ ...row, rank: query.offset + index + 1 })), total };
}

/** A student's rank on the board (1-based), or null when they have no scored submission. */
export async function rankOf(db: DbOrTx, taskId: string, split: Split, userId: string): Promise<number | null> {
  const rows = await db.$queryRaw<Array<{ rank: bigint }>>`
    SELECT count(*) + 1 AS rank
    FROM "BestScore" b, (SELECT "sortKey", "submittedAt", "userId" FROM "BestScore" WHERE "taskId" = ${taskId}::uuid AND split = ${split}::"Split" AND "userId" = ${userId}::uuid) me
    WHERE b."taskId" = ${taskId}::uuid AND b.split = ${split}::"Split"
      AND (b."sortKey", b."submittedAt", b."userId") < (me."sortKey", me."submittedAt", me."userId")`;
  return rows.length === 0 ? null : Number(rows[0]!.rank);
}

/** A page of the students matching a search, each with their rank on the whole board. */
async function searchPage(
  db: DbOrTx,
  query: LeaderboardQuery,
  search: string,
): Promise<{ rows: LeaderboardRow[]; total: number }> {
  const pattern = containsPattern(search);
  const rows = await db.$queryRaw<Array<Omit<LeaderboardRow, 'rank'> & { rank: bigint; total: bigint }>>`
    WITH ranked AS (
      SELECT b."userId", u."displayName", b.value, b."submissionId", b."submittedAt", b."scoredCount",
             row_number() OVER (ORDER BY b."sortKey", b."submittedAt", b."userId") AS rank
      FROM "BestScore" b JOIN "User" u ON u.id = b."userId"
      WHERE b."taskId" = ${query.taskId}::uuid AND b.split = ${query.split}::"Split"
    )
    SELECT *, count(*) OVER () AS total FROM ranked
    WHERE "displayName" ILIKE ${pattern}
    ORDER BY rank
    LIMIT ${query.limit} OFFSET ${query.offset}`;
  const total = rows.length > 0 ? Number(rows[0]!.total) : await countMatches(db, query, pattern);
  return { rows: rows.map(({ total: _total, rank, ...row }) => ({ ...row, rank: Number(rank) })), total };
}

async function countMatches(db: DbOrTx, query: LeaderboardQuery, pattern: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS total FROM "BestScore" b JOIN "User" u ON u.id = b."userId"
    WHERE b."taskId" = ${query.taskId}::uuid AND b.split = ${query.split}::"Split" AND u."displayName" ILIKE ${pattern}`;
  return Number(row?.total ?? 0);
}
