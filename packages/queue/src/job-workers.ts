/**
 * The consumer side: BullMQ workers for the queues a process takes, dispatching each job to its
 * handler from the catalog. A job this build does not know, or a malformed payload, fails at once
 * without retries (UnrecoverableError); the last failed attempt calls the handler's `exhausted`, in
 * the processor, so the final failure is recorded before BullMQ drops the job.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  InvalidJobPayloadError,
  isJobName,
  JOBS,
  parseJobPayload,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobName,
  type QueueName,
} from './job-catalog.ts';

export interface JobWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly queues: readonly QueueName[];
  readonly handlers: JobHandlers;
  /** Jobs in flight per queue. */
  readonly concurrency: (queue: QueueName) => number;
  /** A job whose worker stops renewing its lock this long is handed to another worker. */
  readonly lockMs: number;
  /** How often the queue looks for jobs whose lock expired (a crashed worker's jobs). */
  readonly stalledCheckMs: number;
  readonly onError: (error: Error, queue: QueueName) => void;
}

export interface JobWorkers {
  /** Stops taking jobs; `force` abandons jobs in flight (their locks expire, another worker retries). */
  close(force?: boolean): Promise<void>;
  /** True while every worker is connected and running. */
  isRunning(): boolean;
}

function contextOf(job: Job): JobContext {
  return { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
}

async function dispatch(handlers: JobHandlers, job: Job): Promise<void> {
  if (!isJobName(job.name)) throw new UnrecoverableError(`No handler for job ${job.name}`);
  const name: JobName = job.name;
  let payload;
  try {
    payload = parseJobPayload(name, job.data);
  } catch (error) {
    if (error instanceof InvalidJobPayloadError) throw new UnrecoverableError(error.message);
    throw error;
  }
  const handler = handlers[name] as JobHandler<typeof name>;
  const context = contextOf(job);
  try {
    await handler.run(payload, context);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (handler.exhausted && (context.attempt >= context.maxAttempts || failure instanceof UnrecoverableError)) {
      await handler.exhausted(payload, failure);
    }
    throw failure;
  }
}

/**
 * Starts one BullMQ worker per queue. Stalled jobs are retried many times by BullMQ: the handlers cap
 * how often a submission may interrupt its worker (Postgres counts it), so BullMQ never drops one.
 */
export function startJobWorkers(options: JobWorkerOptions): JobWorkers {
  const workers = options.queues.map((queue) => {
    if (!Object.values(JOBS).some((spec) => spec.queues.includes(queue)))
      throw new Error(`No job runs on queue ${queue}`);
    const worker = new Worker(queue, (job) => dispatch(options.handlers, job), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency(queue),
      lockDuration: options.lockMs,
      stalledInterval: options.stalledCheckMs,
      maxStalledCount: 100,
    });
    worker.on('error', (error) => options.onError(error, queue));
    return worker;
  });
  return {
    async close(force = false) {
      await Promise.all(workers.map((worker) => worker.close(force)));
    },
    isRunning: () => workers.every((worker) => worker.isRunning()),
  };
}
