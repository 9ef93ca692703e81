import { randomUUID } from 'node:crypto';
import {
  claimSubmission,
  createSubmissionWithinQuota,
  leaderboardPage,
  rankOf,
  recordScores,
  rejectSubmission,
  releaseSubmission,
  submissionContext,
  type NewSubmission,
} from '@mljudge/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.ts';
import { seedCourse, seedTaskRow, seedUser } from '../support/fixtures.ts';

const database = useTestDatabase();
let courseId: string;

beforeAll(async () => {
  courseId = (await seedCourse(database.db)).id;
});

function newSubmission(taskId: string, userId: string, extra: Partial<NewSubmission> = {}): NewSubmission {
  const id = randomUUID();
  return {
    id,
    taskId,
    userId,
    artifactKey: `submissions/${id}`,
    artifactSha256: '0'.repeat(64),
    artifactBytes: 10,
    originalName: 'p.csv',
    taskVersion: 1,
    createdAt: new Date(),
    ...extra,
  };
}

const dayStart = new Date(Date.now() - 3600_000);

async function scored(taskId: string, userId: string, value: number, when?: Date) {
  const outcome = await createSubmissionWithinQuota(database.db, newSubmission(taskId, userId), {
    dayStart,
    limit: 1000,
  });
  if (outcome.kind !== 'created') throw new Error(outcome.kind);
  if (when)
    await database.prisma.submission.update({ where: { id: outcome.submission.id }, data: { createdAt: when } });
  const claim = await claimSubmission(database.db, outcome.submission.id);
  await recordScores(database.db, {
    submissionId: outcome.submission.id,
    attempt: claim!.attempt,
    scorerVersion: 't',
    taskVersion: 1,
    scoringMs: 1,
    splits: [
      { split: 'PUBLIC', value, metrics: { accuracy: value } },
      { split: 'PRIVATE', value: 1 - value, metrics: { accuracy: 1 - value } },
    ],
  });
  return outcome.submission.id;
}

describe('createSubmissionWithinQuota', () => {
  it('never exceeds the quota under 20 concurrent uploads by one student', async () => {
    const task = await seedTaskRow(database.db, courseId, { dailyQuota: 5 });
    const { user } = await seedUser(database.db, courseId, 'STUDENT');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        createSubmissionWithinQuota(database.db, newSubmission(task.id, user.id), { dayStart, limit: 5 }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(5);
    expect(outcomes.filter((o) => o.kind === 'quota-exceeded')).toHaveLength(15);
    expect((await submissionContext(database.db, task.id, user.id, dayStart)).used).toBe(5);
  });

  it('returns the same submission for a repeated idempotency key, also concurrently, and charges once', async () => {
    const task = await seedTaskRow(database.db, courseId);
    const { user } = await seedUser(database.db, courseId, 'STUDENT');
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        createSubmissionWithinQuota(database.db, newSubmission(task.id, user.id, { idempotencyKey: 'ci-run-42' }), {
          dayStart,
          limit: 5,
        }),
      ),
    );
    const ids = new Set(
      outcomes.map((o) => (o.kind === 'created' ? o.submission.id : o.kind === 'duplicate' ? o.submissionId : 'none')),
    );
    expect(ids.size).toBe(1);
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
    expect((await submissionContext(database.db, task.id, user.id, dayStart)).used).toBe(1);
  });

  it('frees quota when a submission is rejected', async () => {
    const task = await seedTaskRow(database.db, courseId);
    const { user } = await seedUser(database.db, courseId, 'STUDENT');
    const outcome = await createSubmissionWithinQuota(database.db, newSubmission(task.id, user.id), {
      dayStart,
      limit: 1,
    });
    if (outcome.kind !== 'created') throw new Error('not created');
    const claim = await claimSubmission(database.db, outcome.submission.id);
    expect(
      await rejectSubmission(database.db, outcome.submission.id, claim!.attempt, 'CSV_HEADER', { message: 'x' }, 3),
    ).toEqual({ deliveries: [] });
    expect((await submissionContext(database.db, task.id, user.id, dayStart)).used).toBe(0);
    expect(
      (await createSubmissionWithinQuota(database.db, newSubmission(task.id, user.id), { dayStart, limit: 1 })).kind,
    ).toBe('created');
  });
});

describe('guarded transitions', () => {
  it('commits the result of only the latest claim when a job runs twice', async () => {
    const task = await seedTaskRow(database.db, courseId);
    const { user } = await seedUser(database.db, courseId, 'STUDENT');
    const outcome = await createSubmissionWithinQuota(database.db, newSubmission(task.id, user.id), {
      dayStart,
      limit: 5,
    });
    if (outcome.kind !== 'created') throw new Error('not created');
    const first = await claimSubmission(database.db, outcome.submission.id);
    const second = await claimSubmission(database.db, outcome.submission.id); // a stalled job re-run by another worker
    const result = (attempt: number) => ({
      submissionId: outcome.submission.id,
      attempt,
      scorerVersion: 't',
      taskVersion: 1,
      scoringMs: 1,
      splits: [{ split: 'PUBLIC' as const, value: 0.5, metrics: {} }],
    });
    expect(await recordScores(database.db, result(first!.attempt))).toBeNull();
    expect(await recordScores(database.db, result(second!.attempt))).toEqual({ deliveries: [] });
    expect(await recordScores(database.db, result(second!.attempt))).toBeNull();
    expect(await claimSubmission(database.db, outcome.submission.id)).toBeNull();
    expect(second!.interruptions).toBe(1);
    const best = await database.prisma.bestScore.findMany({ where: { taskId: task.id } });
    expect(best).toHaveLength(1);
    expect(best[0]!.scoredCount).toBe(1);
  });
});

describe('interrupted attempts', () => {
  it('counts a claim of a still-RUNNING submission as an interruption, but not a released one', async () => {
    const task = await seedTaskRow(database.db, courseId);
    const { user } = await seedUser(database.db, courseId, 'STUDENT');
    const outcome = await createSubmissionWithinQuota(database.db, newSubmission(task.id, user.id), {
      dayStart,
      limit: 5,
    });
    if (outcome.kind !== 'created') throw new Error('not created');
    const first = await claimSubmission(database.db, outcome.submission.id);
    expect(first).toMatchObject({ attempt: 1, interruptions: 0 });
    // A failure on our side hands the claim back: the retry is not an interruption.
    expect(await releaseSubmission(database.db, outcome.submission.id, first!.attempt)).toBe(true);
    const second = await claimSubmission(database.db, outcome.submission.id);
    expect(second).toMatchObject({ attempt: 2, interruptions: 0 });
    // The worker holding the second attempt dies: the next claim finds it RUNNING.
    const third = await claimSubmission(database.db, outcome.submission.id);
    expect(third).toMatchObject({ attempt: 3, interruptions: 1 });
    // A stale attempt cannot hand back a claim it no longer owns.
    expect(await releaseSubmission(database.db, outcome.submission.id, second!.attempt)).toBe(false);
  });
});

describe('leaderboard', () => {
  it('ranks best score per student by direction, breaking ties by the earlier submission', async () => {
    const task = await seedTaskRow(database.db, courseId, { direction: 'HIGHER' });
    const alice = (await seedUser(database.db, courseId, 'STUDENT', `alice-${randomUUID().slice(0, 4)}`)).user;
    const bob = (await seedUser(database.db, courseId, 'STUDENT', `bob-${randomUUID().slice(0, 4)}`)).user;
    const carol = (await seedUser(database.db, courseId, 'STUDENT', `carol-${randomUUID().slice(0, 4)}`)).user;
    const t0 = Date.now() - 100_000;
    await scored(task.id, alice.id, 0.7, new Date(t0 + 3000));
    await scored(task.id, alice.id, 0.9, new Date(t0 + 4000));
    await scored(task.id, alice.id, 0.8, new Date(t0 + 5000));
    await scored(task.id, bob.id, 0.9, new Date(t0 + 1000)); // same best as Alice, earlier: ranks first
    await scored(task.id, carol.id, 0.95, new Date(t0 + 9000));
    const { rows, total } = await leaderboardPage(database.db, {
      taskId: task.id,
      split: 'PUBLIC',
      limit: 10,
      offset: 0,
    });
    expect(total).toBe(3);
    expect(rows.map((row) => [row.rank, row.userId, row.value, row.scoredCount])).toEqual([
      [1, carol.id, 0.95, 1],
      [2, bob.id, 0.9, 1],
      [3, alice.id, 0.9, 3],
    ]);
    expect(await rankOf(database.db, task.id, 'PUBLIC', alice.id)).toBe(3);
    // The summary table holds the public board only; the private board applies the selection rule.
    expect(await database.prisma.bestScore.count({ where: { taskId: task.id, split: 'PRIVATE' } })).toBe(0);
  });

  it('ranks lower-is-better tasks ascending', async () => {
    const task = await seedTaskRow(database.db, courseId, { direction: 'LOWER' });
    const a = (await seedUser(database.db, courseId, 'STUDENT')).user;
    const b = (await seedUser(database.db, courseId, 'STUDENT')).user;
    await scored(task.id, a.id, 2.5);
    await scored(task.id, b.id, 0.8);
    await scored(task.id, a.id, 1.0);
    const { rows } = await leaderboardPage(database.db, { taskId: task.id, split: 'PUBLIC', limit: 10, offset: 0 });
    expect(rows.map((row) => [row.userId, row.value])).toEqual([
      [b.id, 0.8],
      [a.id, 1.0],
    ]);
  });

  it('pages by key exactly as by offset, ties included, and says where the board ends', async () => {
    const task = await seedTaskRow(database.db, courseId, { direction: 'HIGHER' });
    const when = new Date(Date.now() - 50_000);
    // Seven students, three of them tied on value and time: only the user id orders those.
    const values = [0.5, 0.7, 0.7, 0.7, 0.9, 0.6, 0.8];
    for (const value of values) {
      const student = (await seedUser(database.db, courseId, 'STUDENT')).user;
      await scored(task.id, student.id, value, value === 0.7 ? when : undefined);
    }
    const byOffset = await leaderboardPage(database.db, { taskId: task.id, split: 'PUBLIC', limit: 7, offset: 0 });
    const paged = [];
    let after;
    for (let page = 0; page < 4; page++) {
      const result = await leaderboardPage(database.db, {
        taskId: task.id,
        split: 'PUBLIC',
        limit: 3,
        offset: 0,
        after,
      });
      paged.push(...result.rows);
      after = result.next ?? undefined;
      if (!result.next) break;
    }
    expect(paged.map((row) => [row.rank, row.userId])).toEqual(byOffset.rows.map((row) => [row.rank, row.userId]));
    expect(paged).toHaveLength(7);
    // The last page (one row) has no next; a page that ends exactly at the end has none either.
    const exact = await leaderboardPage(database.db, { taskId: task.id, split: 'PUBLIC', limit: 7, offset: 0 });
    expect(exact.next).toBeNull();
  });

  it('searches names with board ranks, literal wildcards and paging', async () => {
    const task = await seedTaskRow(database.db, courseId, { direction: 'HIGHER' });
    const tag = randomUUID().slice(0, 6);
    const names = [`zed_${tag}`, `ann-${tag}-a`, `bob-${tag}`, `ann-${tag}-b`, `ann%${tag}`, `ann-${tag}-c`];
    const ids: string[] = [];
    for (const [index, name] of names.entries()) {
      const student = (await seedUser(database.db, courseId, 'STUDENT', name)).user;
      ids.push(student.id);
      await scored(task.id, student.id, 0.9 - index * 0.1);
    }
    const search = (text: string, offset = 0, limit = 10) =>
      leaderboardPage(database.db, { taskId: task.id, split: 'PUBLIC', limit, offset, search: text });
    const anns = await search(`ANN-${tag}`);
    expect(anns.total).toBe(3);
    expect(anns.rows.map((row) => [row.rank, row.userId])).toEqual([
      [2, ids[1]],
      [4, ids[3]],
      [6, ids[5]],
    ]);
    // % and _ are letters here, not wildcards.
    expect((await search(`ann%${tag}`)).rows.map((row) => row.userId)).toEqual([ids[4]]);
    expect((await search(`d_${tag}`)).rows.map((row) => row.userId)).toEqual([ids[0]]);
    // A page past the first keeps board ranks and the total of matches.
    const second = await search(`ann-${tag}`, 1, 1);
    expect(second).toMatchObject({ total: 3, rows: [{ rank: 4, userId: ids[3] }] });
    expect(await search(`nobody-${tag}`)).toMatchObject({ total: 0, rows: [] });
  });
});
