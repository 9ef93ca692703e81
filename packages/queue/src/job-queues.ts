/**
 * The producer side: put a job on its queue with the shared retry policy, and report how full the
 * queues are (metrics, the TAs' system status).
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { ALL_QUEUES, JOBS, type JobName, type JobPayload, type QueueName } from './job-catalog.ts';

export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** BullMQ's event stream per queue is trimmed to this many entries (default 10,000). */
const EVENT_STREAM_LENGTH = 1000;

/**
 * Exponential backoff with jitter; finished jobs leave Redis because Postgres keeps the record (and a
 * job kept in the failed set would make re-enqueueing the same id a no-op).
 */
function jobOptions(jobId: string, attempts: number, policy: RetryPolicy): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

export interface QueueDepth {
  readonly queue: QueueName;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  /** Seconds the oldest waiting job has waited; 0 when none waits. */
  readonly oldestWaitSeconds: number;
  /** Workers connected to this queue now. */
  readonly workers: number;
}

export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly policy: RetryPolicy,
  ) {}

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        streams: { events: { maxLen: EVENT_STREAM_LENGTH } },
      });
      // Connection errors are the connection's to report; the queue only repeats them.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Enqueues a job on `queue` (one of the entry's queues); a no-op while a job with its id is queued. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    queue: QueueName = JOBS[name].queues[0]!,
  ): Promise<void> {
    const spec = JOBS[name];
    if (!spec.queues.includes(queue)) throw new Error(`${name} does not run on ${queue}`);
    const attempts = Math.max(this.policy.attempts, ('minAttempts' in spec ? spec.minAttempts : undefined) ?? 0);
    await this.queue(queue).add(
      name,
      payload,
      jobOptions((spec.jobId as (p: JobPayload<N>) => string)(payload), attempts, this.policy),
    );
  }

  /** True while the connection to Redis is up (no round trip: the upload path checks it). */
  isConnected(): boolean {
    return this.connection.status === 'ready';
  }

  /** True when Redis answers now (readiness checks). */
  async isAvailable(): Promise<boolean> {
    if (this.connection.status !== 'ready') return false;
    try {
      await this.connection.ping();
      return true;
    } catch {
      return false;
    }
  }

  /** How full each queue is and how many workers listen to it. */
  async depths(queues: readonly QueueName[] = ALL_QUEUES): Promise<QueueDepth[]> {
    return Promise.all(
      queues.map(async (name) => {
        const queue = this.queue(name);
        const [counts, oldest, workers] = await Promise.all([
          queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
          queue.getWaiting(-1, -1),
          queue.getWorkersCount(),
        ]);
        const first = oldest[0];
        return {
          queue: name,
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          oldestWaitSeconds: first ? Math.max(0, (Date.now() - first.timestamp) / 1000) : 0,
          workers,
        };
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
