/** The producer side: put a submission on the right queue with the shared retry policy. */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type JobCatalog, type QueueName } from './job-catalog.ts';

export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** Exponential backoff with jitter; finished jobs leave Redis because Postgres keeps the record. */
export function jobOptions(jobId: string, policy: RetryPolicy): JobsOptions {
  return {
    jobId,
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

export class ScoringQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly policy: RetryPolicy,
  ) {}

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Enqueues scoring of a submission; a no-op if a job for it is already waiting or running. */
  async enqueueScoring(
    payload: JobCatalog['score-submission'],
    queueName: QueueName = QUEUE_NAMES.scoreCpu,
  ): Promise<void> {
    await this.queue(queueName).add('score-submission', payload, jobOptions(payload.submissionId, this.policy));
  }

  /** Enqueues a webhook delivery; a no-op if it is already queued. */
  async enqueueDelivery(payload: JobCatalog['deliver-webhook']): Promise<void> {
    await this.queue(QUEUE_NAMES.webhooks).add('deliver-webhook', payload, {
      ...jobOptions(payload.deliveryId, this.policy),
      attempts: Math.max(this.policy.attempts, 6),
    });
  }

  /** True when Redis answers now; the api checks this before accepting an upload. */
  async isAvailable(): Promise<boolean> {
    if (this.connection.status !== 'ready') return false;
    try {
      await this.connection.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
