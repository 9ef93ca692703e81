/**
 * Proves the hand-written SQL migration matches prisma/schema.prisma: every model is written and read
 * back through the generated client, with every column set (a missing or mistyped column fails here).
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.ts';

const database = useTestDatabase();

describe('migrated schema vs schema.prisma', () => {
  it('round-trips every model and every field through the Prisma client', async () => {
    const db = database.prisma;
    const when = new Date('2026-11-27T01:02:03.456Z');
    const course = await db.course.create({
      data: { slug: 'rt', title: 'Round trip', timeZone: 'Asia/Taipei', gradeBestOf: 10, createdAt: when },
    });
    const user = await db.user.create({
      data: { email: 'rt@example.edu', displayName: 'RT', passwordHash: 'scrypt$x', siteAdmin: true, createdAt: when },
    });
    const membership = await db.membership.create({
      data: { courseId: course.id, userId: user.id, role: 'TA', createdAt: when },
    });
    const token = await db.apiToken.create({
      data: {
        userId: user.id,
        name: 'ci',
        prefix: 'mlj_abcd',
        tokenHash: 'h'.repeat(64),
        createdAt: when,
        expiresAt: when,
        revokedAt: when,
        lastUsedAt: when,
      },
    });
    const task = await db.task.create({
      data: {
        courseId: course.id,
        slug: 'hw1',
        title: 'HW1',
        description: 'd',
        format: 'csv',
        metric: { name: 'mse' },
        direction: 'LOWER',
        config: { a: [1, 2] },
        bundleKey: 'tasks/x/v1',
        bundleSha256: 's'.repeat(64),
        version: 3,
        dailyQuota: 7,
        maxUploadBytes: 99,
        opensAt: when,
        deadline: when,
        revealAt: when,
        createdAt: when,
      },
    });
    const submission = await db.submission.create({
      data: {
        taskId: task.id,
        userId: user.id,
        status: 'SCORED',
        artifactKey: 'k',
        artifactSha256: 'a'.repeat(64),
        artifactBytes: 12,
        originalName: 'pred.csv',
        message: 'm',
        idempotencyKey: 'key-1',
        errorCode: 'E',
        errorDetail: { line: 3 },
        scorerVersion: 'v',
        taskVersion: 3,
        attempts: 2,
        interruptions: 1,
        scoringMs: 5,
        artifactPurgedAt: when,
        createdAt: when,
        startedAt: when,
        finishedAt: when,
        selected: true,
        late: true,
        runInfo: { parameters: 167, provider: 'cpu' },
      },
    });
    const score = await db.score.create({
      data: {
        submissionId: submission.id,
        split: 'PRIVATE',
        value: 0.5,
        metrics: { mse: 0.5 },
        scorerVersion: 'v',
        taskVersion: 3,
        createdAt: when,
      },
    });
    const best = await db.bestScore.create({
      data: {
        taskId: task.id,
        split: 'PUBLIC',
        userId: user.id,
        submissionId: submission.id,
        value: 1.25,
        sortKey: 1.25,
        submittedAt: when,
        scoredCount: 4,
      },
    });

    const override = await db.taskOverride.create({
      data: {
        taskId: task.id,
        userId: user.id,
        extraDailySubmissions: 2,
        deadline: when,
        reason: 'r',
        createdById: user.id,
        createdAt: when,
      },
    });
    const audit = await db.auditEvent.create({
      data: { courseId: course.id, actorId: user.id, action: 'override.saved', details: { a: 1 }, createdAt: when },
    });
    const history = await db.scoreHistory.create({
      data: {
        submissionId: submission.id,
        split: 'PUBLIC',
        value: 0.1,
        metrics: { mse: 0.1 },
        scorerVersion: 'v0',
        taskVersion: 2,
        reason: 'fix',
        replacedAt: when,
      },
    });
    const run = await db.rescoreRun.create({
      data: { taskId: task.id, requestedById: user.id, taskVersion: 3, reason: 'fix', submissions: 9, createdAt: when },
    });
    const webhook = await db.webhook.create({
      data: {
        ownerId: user.id,
        courseId: course.id,
        scope: 'COURSE',
        url: 'https://example.edu/hook',
        secret: 's',
        events: ['submission.scored'],
        createdAt: when,
        disabledAt: when,
      },
    });
    const delivery = await db.webhookDelivery.create({
      data: {
        webhookId: webhook.id,
        submissionId: submission.id,
        event: 'submission.scored',
        payload: { b: 2 },
        status: 'FAILED',
        attempts: 3,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
        createdAt: when,
        deliveredAt: when,
      },
    });

    expect(await db.course.findUniqueOrThrow({ where: { id: course.id } })).toEqual(course);
    expect(
      await db.taskOverride.findUniqueOrThrow({ where: { taskId_userId: { taskId: task.id, userId: user.id } } }),
    ).toEqual(override);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: audit.id } })).toEqual(audit);
    expect(await db.scoreHistory.findUniqueOrThrow({ where: { id: history.id } })).toEqual(history);
    expect(await db.rescoreRun.findUniqueOrThrow({ where: { id: run.id } })).toEqual(run);
    expect(await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).toEqual(webhook);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toEqual(delivery);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
    expect(
      await db.membership.findUniqueOrThrow({ where: { courseId_userId: { courseId: course.id, userId: user.id } } }),
    ).toEqual(membership);
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).toEqual(token);
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(task);
    expect(await db.submission.findUniqueOrThrow({ where: { id: submission.id } })).toEqual(submission);
    expect(
      await db.score.findUniqueOrThrow({
        where: { submissionId_split: { submissionId: submission.id, split: 'PRIVATE' } },
      }),
    ).toEqual(score);
    expect(
      await db.bestScore.findUniqueOrThrow({
        where: { taskId_split_userId: { taskId: task.id, split: 'PUBLIC', userId: user.id } },
      }),
    ).toEqual(best);
  });

  it('enforces the unique keys the code relies on', async () => {
    const db = database.prisma;
    await db.course.create({ data: { slug: 'dup', title: 'x' } });
    await expect(db.course.create({ data: { slug: 'dup', title: 'y' } })).rejects.toMatchObject({ code: 'P2002' });
  });
});
