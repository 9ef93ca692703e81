/**
 * The one place a worker tells the rest of the system about a submission: a status event on Redis
 * (API processes wake waiting requests and live streams with it) when scoring starts and when it
 * ends, and the webhook deliveries the final transaction planned. Best effort: events are hints, and
 * the recovery sweep sends any delivery this misses.
 */
import { pendingDeliveries, type Database } from '@mljudge/db';
import type { JobQueues, StatusPublisher, SubmissionStatusEvent } from '@mljudge/queue';
import type { Logger } from 'pino';

export interface SubmissionRef {
  readonly id: string;
  readonly taskId: string;
  readonly userId: string;
}

export class Announcer {
  constructor(
    private readonly db: Database,
    private readonly publisher: StatusPublisher,
    private readonly queues: JobQueues,
    private readonly log: Logger,
  ) {}

  /** Scoring started (the submission is RUNNING). */
  async started(submission: SubmissionRef): Promise<void> {
    await this.publish(submission, 'RUNNING');
  }

  /**
   * Scoring ended; `status` is what was committed, `deliveries` the webhook deliveries the commit
   * planned (looked up when the commit did not say).
   */
  async finished(
    submission: SubmissionRef,
    status: Exclude<SubmissionStatusEvent['status'], 'RUNNING'>,
    deliveries?: readonly string[],
  ): Promise<void> {
    await this.publish(submission, status);
    try {
      for (const deliveryId of deliveries ?? (await pendingDeliveries(this.db, { submissionId: submission.id }))) {
        await this.queues.enqueue('deliver-webhook', { deliveryId });
      }
    } catch (error) {
      this.log.warn({ err: error, submissionId: submission.id }, 'could not enqueue webhooks; the sweep will');
    }
  }

  private async publish(submission: SubmissionRef, status: SubmissionStatusEvent['status']): Promise<void> {
    await this.publisher
      .publish({ submissionId: submission.id, taskId: submission.taskId, userId: submission.userId, status })
      .catch((error: Error) =>
        this.log.warn({ err: error, submissionId: submission.id }, 'could not publish the status event'),
      );
  }
}
