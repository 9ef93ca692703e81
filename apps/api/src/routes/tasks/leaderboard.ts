/**
 * GET /v1/tasks/:slug/leaderboard: best score per student, ranked, with the baselines drawn between
 * the rows they separate. The private board is for TAs, and for students once private scores are
 * revealed to them; public scores are rounded to the task's precision for students before that.
 */
import { leaderboardPage, privateBoard, publicEntryOf, scoredCounts } from '@mljudge/db';
import { baselinesPassed, roundScore } from '@mljudge/grading';
import { baselinesOf, directionsOf } from '@mljudge/scoring';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { resolveTask } from '../../access.ts';
import { principalOf } from '../../plugins/auth.ts';
import { forbidden } from '../../problems/app-error.ts';
import { errorResponses, TaskParams } from '../../schemas/common.ts';
import type { Services } from '../../services.ts';
import { showPrivateTo } from '../../visibility.ts';
import { decodeCursor, encodeCursor, type PageCursor } from './board-cursor.ts';
import { Leaderboard, LeaderboardQuery } from './schemas.ts';

interface BoardRows {
  readonly total: number;
  readonly next: PageCursor | null;
  readonly rows: ReadonlyArray<{
    rank: number;
    userId: string;
    displayName: string;
    value: number;
    submittedAt: Date;
    submissions: number;
  }>;
  readonly me: { rank: number; value: number; metrics: Record<string, number> } | null;
}

interface Page {
  readonly limit: number;
  readonly offset: number;
  readonly after: PageCursor | undefined;
  readonly search?: string | undefined;
}

/** The next page by offset, where a board cannot page by key (a search, the private board). */
function nextByOffset(page: Page, rows: number, total: number): PageCursor | null {
  return page.offset + rows < total && rows === page.limit ? { rank: page.offset + rows } : null;
}

async function publicRows(services: Services, taskId: string, userId: string, page: Page): Promise<BoardRows> {
  const after = page.after?.key && !page.search ? { ...page.after.key, rank: page.after.rank } : undefined;
  const [board, me] = await Promise.all([
    leaderboardPage(services.db, { taskId, split: 'PUBLIC', ...page, after }),
    publicEntryOf(services.db, taskId, userId),
  ]);
  const next = board.next
    ? { rank: board.next.rank, key: board.next }
    : page.search
      ? nextByOffset(page, board.rows.length, board.total)
      : null;
  return {
    total: board.total,
    next,
    rows: board.rows.map((row) => ({ ...row, submissions: row.scoredCount })),
    me,
  };
}

async function privateRows(
  services: Services,
  taskId: string,
  userId: string,
  selectionLimit: number,
  page: Page,
): Promise<BoardRows> {
  const [all, submitted] = await Promise.all([
    privateBoard(services.db, taskId, selectionLimit),
    scoredCounts(services.db, taskId),
  ]);
  const mine = all.find((row) => row.userId === userId);
  const needle = page.search?.toLowerCase();
  const matching = needle ? all.filter((row) => row.displayName.toLowerCase().includes(needle)) : all;
  return {
    total: matching.length,
    next: nextByOffset(page, Math.min(page.limit, Math.max(0, matching.length - page.offset)), matching.length),
    rows: matching
      .slice(page.offset, page.offset + page.limit)
      .map((row) => ({ ...row, submissions: submitted.get(row.userId) ?? 0 })),
    me: mine ? { rank: mine.rank, value: mine.value, metrics: mine.metrics } : null,
  };
}

export default async function leaderboardRoute(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/tasks/:slug/leaderboard',
    {
      schema: {
        summary: 'Best score per student, ranked (private board: TAs, or everyone once it is revealed to them)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: LeaderboardQuery,
        response: { 200: Leaderboard, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const access = await resolveTask(services, principal, request.params.slug, request.query.course);
      const { task, rules } = access;
      const revealed = await showPrivateTo(services, access, principal.userId);
      const split = request.query.split ?? 'public';
      if (split === 'private' && !revealed) {
        throw forbidden(
          rules.revealAt
            ? `The private board opens at ${rules.revealAt.toISOString()}, once you can no longer submit.`
            : 'The private board is visible to TAs only.',
        );
      }
      const after = request.query.after ? decodeCursor(request.query.after) : undefined;
      const page: Page = {
        limit: request.query.limit ?? 50,
        // A cursor's rank is where its page starts; a keyset read ignores the offset.
        offset: after ? after.rank : (request.query.offset ?? 0),
        after,
        search: request.query.q?.trim() || undefined,
      };
      const precision = revealed ? undefined : rules.publicPrecision;
      const board =
        split === 'private'
          ? await privateRows(services, task.id, principal.userId, rules.selectionLimit, page)
          : await publicRows(services, task.id, principal.userId, page);
      return {
        task: task.slug,
        split,
        direction: rules.direction,
        total: board.total,
        limit: page.limit,
        offset: page.offset,
        next: board.next ? encodeCursor(board.next) : null,
        rows: board.rows.map((row) => ({
          rank: row.rank,
          displayName: row.displayName,
          value: roundScore(row.value, precision),
          submittedAt: row.submittedAt.toISOString(),
          submissions: row.submissions,
          isMe: row.userId === principal.userId,
        })),
        me: board.me
          ? {
              rank: board.me.rank,
              value: roundScore(board.me.value, precision),
              baselines: baselinesPassed(baselinesOf(rules), split, board.me.metrics, directionsOf(rules)).names,
            }
          : null,
        baselines: rules.baselines
          .map((baseline) => ({
            name: baseline.name,
            value: (split === 'private' ? baseline.private : baseline.public)[rules.metric.name],
          }))
          .filter((line): line is { name: string; value: number } => line.value !== undefined),
      };
    },
  );
}
