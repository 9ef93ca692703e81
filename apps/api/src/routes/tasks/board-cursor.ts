/**
 * The `after` cursor of leaderboard pages: where the last page ended, as an opaque base64url token.
 * On the public board it carries that entry's board key, so the next page is an index range read
 * however deep it is (OFFSET 50,000 reads and drops 50,000 rows first); elsewhere (a search, the
 * private board, computed in memory) only the rank, used as the offset.
 */
import type { BoardCursor } from '@mljudge/db';
import { AppError } from '../../problems/app-error.ts';

export interface PageCursor {
  readonly rank: number;
  readonly key?: Omit<BoardCursor, 'rank'>;
}

export function encodeCursor(cursor: PageCursor): string {
  const key = cursor.key ? [cursor.key.sortKey, cursor.key.submittedAt.toISOString(), cursor.key.userId] : [];
  return Buffer.from(JSON.stringify([cursor.rank, ...key])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = () =>
  new AppError('CURSOR_INVALID', 'The after cursor is not one this server gave out; start again from the first page.');

export function decodeCursor(text: string): PageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || !Number.isSafeInteger(parsed[0]) || (parsed[0] as number) < 0) throw invalid();
  const rank = parsed[0] as number;
  if (parsed.length === 1) return { rank };
  const [, sortKey, submittedAt, userId] = parsed as [number, unknown, unknown, unknown];
  const date = typeof submittedAt === 'string' ? new Date(submittedAt) : null;
  if (
    parsed.length !== 4 ||
    typeof sortKey !== 'number' ||
    !Number.isFinite(sortKey) ||
    !date ||
    Number.isNaN(date.getTime()) ||
    typeof userId !== 'string' ||
    !UUID.test(userId)
  )
    throw invalid();
  return { rank, key: { sortKey, submittedAt: date, userId } };
}
