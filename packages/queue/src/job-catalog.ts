/**
 * The one contract between producers (api, worker sweeps) and consumers (workers): each job's name,
 * payload schema, the queues it may run on, its job id and its retry policy, in one entry. Payloads
 * carry ids only; Postgres holds the data. A worker must give a handler for every entry (JobHandlers
 * is a mapped type over the catalog), so a job without a handler does not compile.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

/** CPU workers take prediction files, GPU workers take models, program workers run TAs' scorers. */
export const QUEUE_NAMES = {
  scoreCpu: 'score-cpu',
  scoreGpu: 'score-gpu',
  scoreProgram: 'score-program',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUE_NAMES);

/** The queue that scores a task's submissions, by the task's format and scorer. */
export function scoringQueueFor(task: { readonly format: string }): QueueName {
  if (task.format === 'program') return QUEUE_NAMES.scoreProgram;
  return task.format === 'onnx' || task.format === 'images' ? QUEUE_NAMES.scoreGpu : QUEUE_NAMES.scoreCpu;
}

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });

interface CatalogEntry<P extends TSchema> {
  readonly payload: P;
  readonly queues: readonly QueueName[];
  /** BullMQ job id: enqueueing the same id twice is a no-op while the first is waiting or running. */
  readonly jobId: (payload: Static<P>) => string;
  /** Attempts beyond the configured default (webhook receivers may be down for a while). */
  readonly minAttempts?: number;
}

const entry = <P extends TSchema>(value: CatalogEntry<P>) => value;

export const JOBS = {
  /** Validate and score one submission. jobId = submission id. */
  'score-submission': entry({
    payload: Type.Object({ submissionId: Uuid }, { additionalProperties: false }),
    queues: [QUEUE_NAMES.scoreCpu, QUEUE_NAMES.scoreGpu, QUEUE_NAMES.scoreProgram],
    jobId: (payload) => payload.submissionId,
  }),
  /** Send one webhook delivery. jobId = delivery id. */
  'deliver-webhook': entry({
    payload: Type.Object({ deliveryId: Uuid }, { additionalProperties: false }),
    queues: [QUEUE_NAMES.webhooks],
    jobId: (payload) => payload.deliveryId,
    minAttempts: 6,
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]['payload']>;

export interface JobContext {
  /** 1 on the first try. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export interface JobHandler<N extends JobName> {
  readonly run: (payload: JobPayload<N>, context: JobContext) => Promise<void>;
  /** Called once when the last attempt failed, before the job is dropped (the one place for it). */
  readonly exhausted?: (payload: JobPayload<N>, error: Error) => Promise<void>;
}

export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export class InvalidJobPayloadError extends Error {
  override name = 'InvalidJobPayloadError';
}

/** True when `name` is a job this build knows. */
export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** Checks a payload read back from Redis before a handler trusts it. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  const schema = JOBS[name].payload;
  if (!Value.Check(schema, data))
    throw new InvalidJobPayloadError(`${name} got a malformed payload ${JSON.stringify(data)}`);
  return data as JobPayload<N>;
}
