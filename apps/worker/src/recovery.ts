/**
 * Postgres is the source of truth; Redis can lose jobs (flushed, restarted without persistence, or the
 * API crashed between insert and enqueue). This sweep re-enqueues every unfinished submission and
 * every pending webhook delivery. Because job ids are row ids, a row whose job still exists is left
 * alone. It runs at start, on an interval, and at once whenever the Redis connection comes back.
 */
import { listUnfinished, pendingDeliveries, type Database } from '@mljudge/db';
import { scoringQueueFor, type JobQueues } from '@mljudge/queue';

const BATCH = 5000;

/** Re-enqueues unfinished submissions and pending deliveries; returns how many submissions it saw. */
export async function requeueUnfinished(db: Database, queues: JobQueues): Promise<number> {
  const unfinished = await listUnfinished(db, BATCH);
  for (const submission of unfinished) {
    await queues.enqueue('score-submission', { submissionId: submission.id }, scoringQueueFor(submission));
  }
  for (const deliveryId of await pendingDeliveries(db)) await queues.enqueue('deliver-webhook', { deliveryId });
  return unfinished.length;
}
