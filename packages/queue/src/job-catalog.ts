/**
 * The one contract between producers (api) and consumers (worker): job names, the queue each runs on,
 * and payload shapes. Payloads carry ids only; Postgres holds the data. A worker registers a handler for
 * every name through `JobHandlers`, so adding a job without a handler does not compile.
 */

/** CPU workers take prediction files; GPU workers take models (ONNX) once those exist. */
export const QUEUE_NAMES = { scoreCpu: 'score-cpu', scoreGpu: 'score-gpu', webhooks: 'webhooks' } as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Model submissions need an inference runtime (a GPU worker where there is one); files need a CPU. */
export function scoringQueueFor(format: string): QueueName {
  return format === 'onnx' ? QUEUE_NAMES.scoreGpu : QUEUE_NAMES.scoreCpu;
}

export interface JobCatalog {
  /** Validate and score one submission. jobId = submission id, so enqueueing twice is a no-op. */
  'score-submission': { readonly submissionId: string };
  /** Send one webhook delivery. jobId = delivery id. */
  'deliver-webhook': { readonly deliveryId: string };
}

export type JobName = keyof JobCatalog;
export type JobPayload<N extends JobName> = JobCatalog[N];
export type JobHandlers = { readonly [N in JobName]: (payload: JobCatalog[N], context: JobContext) => Promise<void> };

export interface JobContext {
  /** 1 on the first try. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export class InvalidJobPayloadError extends Error {
  override name = 'InvalidJobPayloadError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidField(job: string, data: unknown, field: string): string {
  const value = (data as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'string' || !UUID.test(value))
    throw new InvalidJobPayloadError(`${job} needs a ${field} uuid, got ${JSON.stringify(data)}`);
  return value;
}

/** Checks a payload read back from Redis before a handler trusts it. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  switch (name) {
    case 'score-submission':
      return { submissionId: uuidField(name, data, 'submissionId') } as JobPayload<N>;
    case 'deliver-webhook':
      return { deliveryId: uuidField(name, data, 'deliveryId') } as JobPayload<N>;
    default:
      throw new InvalidJobPayloadError(`Unknown job ${String(name)}`);
  }
}

/** True when `name` is a job this build knows. */
export function isJobName(name: string): name is JobName {
  return name === 'score-submission' || name === 'deliver-webhook';
}
