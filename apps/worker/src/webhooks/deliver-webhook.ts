/**
 * Sends one webhook delivery: a JSON body signed with HMAC-SHA256 over "<timestamp>.<body>" in the
 * `Mljudge-Signature: t=<unix seconds>,v1=<hex>` header (the receiver recomputes it with the secret
 * and rejects stale timestamps). The body is the submission as its student sees it (views package).
 * A non-2xx answer or a network error throws, so the queue retries with backoff; every attempt is
 * written to the delivery log the owner reads, in words that say nothing about our network.
 */
import { createHmac } from 'node:crypto';
import { findDeliveryToSend, findSubmission, findUser, recordDeliveryAttempt, type Database } from '@mljudge/db';
import type { JobContext, JobPayload } from '@mljudge/queue';
import { definitionOf } from '@mljudge/scoring';
import { webhookPayload } from '@mljudge/views';
import { postJson } from './post-json.ts';
import { PrivateAddressError, resolvePublicTarget } from './public-address.ts';

const TIMEOUT_MS = 10_000;

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What the owner reads about a failed attempt. */
function describe(error: unknown): string {
  if (error instanceof PrivateAddressError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `the connection failed (${code})` : (error as Error).message.slice(0, 200);
}

export async function deliverWebhook(
  db: Database,
  payload: JobPayload<'deliver-webhook'>,
  context: JobContext,
  options: { allowPrivateNetworks: boolean },
): Promise<void> {
  const delivery = await findDeliveryToSend(db, payload.deliveryId);
  if (!delivery || delivery.status !== 'PENDING' || delivery.webhook.disabledAt) return;
  // Planned while the owner was entitled to it, perhaps; sent only if they still are.
  if (!delivery.ownerEntitled) {
    await recordDeliveryAttempt(db, delivery.id, {
      delivered: false,
      statusCode: null,
      error: 'not sent: the owner is no longer allowed to receive it',
      final: true,
      payload: {},
    });
    return;
  }
  const submission = await findSubmission(db, delivery.submissionId);
  if (!submission) return;
  const submitter = await findUser(db, submission.userId);
  const body = webhookPayload(
    delivery,
    submission,
    { slug: submission.task.slug, definition: definitionOf(submission.task) },
    submitter?.email ?? null,
  );
  const text = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const url = new URL(delivery.webhook.url);
    const target = options.allowPrivateNetworks ? null : await resolvePublicTarget(url);
    const answer = await postJson(
      url,
      text,
      {
        'content-type': 'application/json',
        'user-agent': 'mljudge-webhooks/1',
        'mljudge-event': delivery.event,
        'mljudge-delivery': delivery.id,
        'mljudge-signature': signature(delivery.webhook.secret, timestamp, text),
      },
      { target, timeoutMs: TIMEOUT_MS },
    );
    statusCode = answer.status;
    if (answer.status < 200 || answer.status >= 300) error = `HTTP ${answer.status}`;
  } catch (failure) {
    error = describe(failure);
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
