/**
 * Postgres is the source of truth; Redis can lose jobs (flushed, restarted without persistence, or the
 * api crashed between insert and enqueue). This sweep re-enqueues every unfinished submission. Because
 * jobId = submission id, a submission whose job still exists is left alone.
 */
import { listUnfinished, type Database } from '@mljudge/db';
import { scoringQueueFor, type ScoringQueues } from '@mljudge/queue';

const BATCH = 5000;

/** Re-enqueues unfinished submissions; returns how many were looked at. */
export async function requeueUnfinished(db: Database, queues: ScoringQueues): Promise<number> {
  const unfinished = await listUnfinished(db, BATCH);
  for (const submission of unfinished)
    await queues.enqueueScoring({ submissionId: submission.id }, scoringQueueFor(submission.format));
  return unfinished.length;
}
