/**
 * Webhooks and their delivery log. Deliveries are planned inside the transaction that finishes a
 * submission, so a crash can never finish a submission without recording the deliveries it owes; the
 * worker then sends them (and its recovery sweep re-sends any still pending).
 */
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from './client.ts';
import type { WebhookScope } from './generated/prisma/client.ts';

export const WEBHOOK_EVENTS = ['submission.scored', 'submission.rejected'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export async function createWebhook(
  db: DbOrTx,
  input: { ownerId: string; courseId: string; scope: WebhookScope; url: string; events: readonly WebhookEvent[] },
) {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const webhook = await db.webhook.create({
    data: {
      ownerId: input.ownerId,
      courseId: input.courseId,
      scope: input.scope,
      url: input.url,
      events: [...input.events],
      secret,
    },
  });
  return { webhook, secret };
}

/**
 * Records a pending delivery for every enabled webhook that wants `event` for this submission: course
 * webhooks of its course whose owner is staff of the course now (not just when the hook was made),
 * and the submitter's own webhooks. Rejected uploads cost nothing, so they are never sent to `own`
 * hooks (a free way to make the server send requests). Idempotent per (webhook, submission, event).
 */
export async function planDeliveries(db: DbOrTx, submissionId: string, event: WebhookEvent): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "WebhookDelivery" (id, "webhookId", "submissionId", event, payload)
    SELECT gen_random_uuid(), w.id, s.id, ${event}, '{}'::jsonb
    FROM "Submission" s
    JOIN "Task" t ON t.id = s."taskId"
    JOIN "Webhook" w ON w."courseId" = t."courseId"
    JOIN "Membership" m ON m."courseId" = t."courseId" AND m."userId" = w."ownerId"
    WHERE s.id = ${submissionId}::uuid AND w."disabledAt" IS NULL AND ${event} = ANY(w.events)
      AND (
        (w.scope = 'COURSE' AND m.role IN ('TA', 'ADMIN'))
        OR (w.scope = 'OWN' AND w."ownerId" = s."userId" AND ${event} <> 'submission.rejected')
      )
    ON CONFLICT ("webhookId", "submissionId", event) DO NOTHING`;
}

/**
 * Disables the course-wide webhooks of someone who is no longer staff of the course (demoted or
 * removed): what they were allowed to receive as a TA they may not receive as a student.
 */
export async function disableCourseWebhooksOf(db: DbOrTx, courseId: string, userId: string): Promise<number> {
  const { count } = await db.webhook.updateMany({
    where: { courseId, ownerId: userId, scope: 'COURSE', disabledAt: null },
    data: { disabledAt: new Date() },
  });
  return count;
}

/**
 * True when the webhook's owner may still receive this delivery: staff of the course for a course
 * hook, a member for an own hook. Checked again at send time, for deliveries planned before a change.
 */
export async function webhookOwnerEntitled(db: DbOrTx, webhook: { ownerId: string; courseId: string; scope: WebhookScope }) {
  const membership = await db.membership.findUnique({
    where: { courseId_userId: { courseId: webhook.courseId, userId: webhook.ownerId } },
    select: { role: true },
  });
  if (!membership) return false;
  return webhook.scope === 'OWN' || membership.role === 'TA' || membership.role === 'ADMIN';
}

/** Deliveries still to send, oldest first (for the worker after a commit, and for its recovery sweep). */
export async function pendingDeliveries(db: DbOrTx, options: { submissionId?: string; limit?: number } = {}) {
  return db.webhookDelivery.findMany({
    where: { status: 'PENDING', ...(options.submissionId ? { submissionId: options.submissionId } : {}) },
    orderBy: { createdAt: 'asc' },
    take: options.limit ?? 1000,
    select: { id: true },
  });
}

export async function findDelivery(db: DbOrTx, id: string) {
  return db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
}

export async function recordDeliveryAttempt(
  db: DbOrTx,
  id: string,
  outcome: { delivered: boolean; statusCode: number | null; error: string | null; final: boolean; payload: object },
) {
  await db.webhookDelivery.update({
    where: { id },
    data: {
      attempts: { increment: 1 },
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      payload: outcome.payload,
      status: outcome.delivered ? 'DELIVERED' : outcome.final ? 'FAILED' : 'PENDING',
      ...(outcome.delivered ? { deliveredAt: new Date() } : {}),
    },
  });
}
