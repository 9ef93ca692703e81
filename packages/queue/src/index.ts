export {
  createProducerConnection,
  createWorkerConnection,
  evictionPolicyWarning,
  waitUntilReady,
} from './connections.ts';
export {
  InvalidJobPayloadError,
  isJobName,
  parseJobPayload,
  QUEUE_NAMES,
  scoringQueueFor,
  type JobCatalog,
  type JobContext,
  type JobHandlers,
  type JobName,
  type JobPayload,
  type QueueName,
} from './job-catalog.ts';
export { jobOptions, ScoringQueues, type RetryPolicy } from './scoring-queue.ts';
export {
  isFinalStatus,
  publishSubmissionStatus,
  SubmissionEventHub,
  type SubmissionStatusEvent,
} from './submission-events.ts';
