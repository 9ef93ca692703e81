/**
 * Webhooks and their delivery log. Deliveries are planned inside the transaction that finishes a
 * submission, so a crash can never finish a submission without recording the deliveries it owes; the
 * worker then sends them (and its recovery sweep re-sends any still pending).
 */
import { randomBytes } from 'node:crypto';
import { prismaOf, type Database, type DbOrTx } from './client.ts';
import type { DeliveryStatus, WebhookScope } from './generated/prisma/client.ts';

export const WEBHOOK_EVENTS = ['submission.scored', 'submission.rejected'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Live webhooks one user may have: each one makes the server send requests for them. */
export const MAX_WEBHOOKS_PER_USER = 10;

export interface WebhookRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly courseId: string;
  readonly scope: WebhookScope;
  readonly url: string;
  readonly events: string[];
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

const WEBHOOK_FIELDS = {
  id: true,
  ownerId: true,
  courseId: true,
  scope: true,
  url: true,
  events: true,
  createdAt: true,
  disabledAt: true,
} as const;

export class WebhookLimitError extends Error {
  override name = 'WebhookLimitError';
}

/** Registers a webhook with a fresh signing secret (shown once); capped per user (WebhookLimitError). */
export async function createWebhook(
  database: Database,
  input: { ownerId: string; courseId: string; scope: WebhookScope; url: string; events: readonly WebhookEvent[] },
): Promise<{ webhook: WebhookRecord; secret: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return prismaOf(database).$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`webhooks:${input.ownerId}`}, 0))`;
    const live = await tx.webhook.count({ where: { ownerId: input.ownerId, disabledAt: null } });
    if (live >= MAX_WEBHOOKS_PER_USER)
      throw new WebhookLimitError(`You already have ${live} webhooks; delete one first.`);
    const webhook = await tx.webhook.create({
      data: {
        ownerId: input.ownerId,
        courseId: input.courseId,
        scope: input.scope,
        url: input.url,
        events: [...input.events],
        secret,
      },
      select: WEBHOOK_FIELDS,
    });
    return { webhook, secret };
  });
}

/** A user's webhooks, oldest first. */
export async function listWebhooks(database: Database, ownerId: string): Promise<WebhookRecord[]> {
  return prismaOf(database).webhook.findMany({
    where: { ownerId },
    orderBy: { createdAt: 'asc' },
    select: WEBHOOK_FIELDS,
  });
}

/** One of the user's webhooks, or null when there is none of theirs with that id. */
export async function findOwnWebhook(database: Database, id: string, ownerId: string): Promise<WebhookRecord | null> {
  return prismaOf(database).webhook.findFirst({ where: { id, ownerId }, select: WEBHOOK_FIELDS });
}

/** Disables one of the user's webhooks; false when it is not theirs or already disabled. */
export async function disableWebhook(database: Database, id: string, ownerId: string, now: Date): Promise<boolean> {
  const { count } = await prismaOf(database).webhook.updateMany({
    where: { id, ownerId, disabledAt: null },
    data: { disabledAt: now },
  });
  return count === 1;
}

export interface DeliveryRecord {
  readonly id: string;
  readonly submissionId: string;
  readonly event: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

/** The newest deliveries of a webhook. */
export async function listDeliveries(database: Database, webhookId: string, limit = 200): Promise<DeliveryRecord[]> {
  return prismaOf(database).webhookDelivery.findMany({
    where: { webhookId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: {
      id: true,
      submissionId: true,
      event: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
    },
  });
}

/**
 * Records a pending delivery for every enabled webhook that wants `event` for this submission: course
 * webhooks of its course whose owner is staff of the course now (not just when the hook was made),
 * and the submitter's own webhooks. Rejected uploads cost nothing, so they are never sent to `own`
 * hooks (a free way to make the server send requests). Idempotent per (webhook, submission, event);
 * returns the deliveries it created.
 */
export async function planDeliveries(db: DbOrTx, submissionId: string, event: WebhookEvent): Promise<string[]> {
  // The query lives in the SQL function, which the scoring commit (mljudge_record_scores) calls too.
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT d AS id FROM mljudge_plan_deliveries(${submissionId}::uuid, ${event}::text) d`;
  return rows.map((row) => row.id);
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

/** Deliveries still to send, oldest first (for the worker after a commit, and for its recovery sweep). */
export async function pendingDeliveries(
  database: Database,
  options: { submissionId?: string; limit?: number } = {},
): Promise<string[]> {
  const rows = await prismaOf(database).webhookDelivery.findMany({
    where: { status: 'PENDING', ...(options.submissionId ? { submissionId: options.submissionId } : {}) },
    orderBy: { createdAt: 'asc' },
    take: options.limit ?? 1000,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

export interface DeliveryToSend {
  readonly id: string;
  readonly event: string;
  readonly status: DeliveryStatus;
  readonly webhook: { readonly url: string; readonly secret: string; readonly disabledAt: Date | null };
  /** The owner may still receive it: staff of the course for a course hook, a member for an own hook. */
  readonly ownerEntitled: boolean;
  readonly submissionId: string;
}

/** A delivery with what sending it needs, or null when it no longer exists. */
export async function findDeliveryToSend(database: Database, id: string): Promise<DeliveryToSend | null> {
  const db = prismaOf(database);
  const delivery = await db.webhookDelivery.findUnique({
    where: { id },
    include: { webhook: true },
  });
  if (!delivery) return null;
  const membership = await db.membership.findUnique({
    where: { courseId_userId: { courseId: delivery.webhook.courseId, userId: delivery.webhook.ownerId } },
    select: { role: true },
  });
  const ownerEntitled =
    membership !== null &&
    (delivery.webhook.scope === 'OWN' || membership.role === 'TA' || membership.role === 'ADMIN');
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status,
    webhook: { url: delivery.webhook.url, secret: delivery.webhook.secret, disabledAt: delivery.webhook.disabledAt },
    ownerEntitled,
    submissionId: delivery.submissionId,
  };
}

/** Writes one attempt to the delivery log the owner reads. */
export async function recordDeliveryAttempt(
  database: Database,
  id: string,
  outcome: { delivered: boolean; statusCode: number | null; error: string | null; final: boolean; payload: object },
): Promise<void> {
  await prismaOf(database).webhookDelivery.update({
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
