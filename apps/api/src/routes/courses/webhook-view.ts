/** A webhook as its owner sees it (never the secret, except once when it is made). */
import type { WebhookRecord } from '@mljudge/db';

export function webhookView(webhook: WebhookRecord, course: string) {
  return {
    id: webhook.id,
    course,
    scope: webhook.scope === 'COURSE' ? ('course' as const) : ('own' as const),
    url: webhook.url,
    events: webhook.events,
    createdAt: webhook.createdAt.toISOString(),
    disabledAt: webhook.disabledAt?.toISOString() ?? null,
  };
}
