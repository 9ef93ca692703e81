/**
 * Sends one webhook delivery: a JSON body signed with HMAC-SHA256 over "<timestamp>.<body>" in the
 * `Mljudge-Signature: t=<unix seconds>,v1=<hex>` header (the receiver recomputes it with the secret and
 * rejects stale timestamps). A non-2xx answer or a network error throws, so BullMQ retries with backoff;
 * every attempt is written to the delivery log the owner can read.
 */
import { createHmac } from 'node:crypto';
import { findDelivery, findSubmission, recordDeliveryAttempt, webhookOwnerEntitled, type Database } from '@mljudge/db';
import type { JobContext, JobPayload } from '@mljudge/queue';
import { assertPublicAddress } from './public-address.ts';

const TIMEOUT_MS = 10_000;

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function payloadOf(db: Database, submissionId: string, event: string) {
  const submission = await findSubmission(db, submissionId);
  if (!submission) return null;
  const publicScore = submission.scores.find((score) => score.split === 'PUBLIC');
  const user = await db.user.findUnique({ where: { id: submission.userId }, select: { email: true } });
  // Public information only: private scores never leave the server through a webhook.
  return {
    event,
    submission: {
      id: submission.id,
      task: submission.task.slug,
      status: submission.status,
      user: user?.email ?? null,
      createdAt: submission.createdAt.toISOString(),
      finishedAt: submission.finishedAt?.toISOString() ?? null,
      public: publicScore ? { value: publicScore.value, metrics: publicScore.metrics } : null,
      error:
        submission.status === 'REJECTED' ? { code: submission.errorCode, ...(submission.errorDetail as object) } : null,
    },
  };
}

export async function deliverWebhook(
  db: Database,
  payload: JobPayload<'deliver-webhook'>,
  context: JobContext,
  options: { allowPrivateNetworks: boolean },
): Promise<void> {
  const delivery = await findDelivery(db, payload.deliveryId);
  if (!delivery || delivery.status !== 'PENDING' || delivery.webhook.disabledAt) return;
  // Planned while the owner was entitled to it, perhaps; sent only if they still are.
  if (!(await webhookOwnerEntitled(db, delivery.webhook))) {
    await recordDeliveryAttempt(db, delivery.id, {
      delivered: false,
      statusCode: null,
      error: 'not sent: the owner is no longer allowed to receive it',
      final: true,
      payload: {},
    });
    return;
  }
  const body = await payloadOf(db, delivery.submissionId, delivery.event);
  if (!body) return;
  const text = JSON.stringify({ id: delivery.id, ...body });
  const timestamp = Math.floor(Date.now() / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    if (!options.allowPrivateNetworks) await assertPublicAddress(delivery.webhook.url);
    const response = await fetch(delivery.webhook.url, {
      method: 'POST',
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'mljudge-webhooks/1',
        'mljudge-event': delivery.event,
        'mljudge-delivery': delivery.id,
        'mljudge-signature': signature(delivery.webhook.secret, timestamp, text),
      },
    });
    statusCode = response.status;
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
  } catch (failure) {
    error = (failure as Error).message;
  }
  const delivered = error === null;
  await recordDeliveryAttempt(db, delivery.id, {
    delivered,
    statusCode,
    error,
    final: !delivered && context.attempt >= context.maxAttempts,
    payload: body,
  });
  if (!delivered) throw new Error(`webhook delivery ${delivery.id} failed: ${error}`);
}
