export { createProducerConnection, createWorkerConnection, evictionPolicyWarning } from './connections.ts';
export {
  QUEUE_NAMES,
  scoringQueueFor,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobName,
  type JobPayload,
  type QueueName,
} from './job-catalog.ts';
export { JobQueues, type QueueDepth, type RetryPolicy } from './job-queues.ts';
export { startJobWorkers, type JobWorkers } from './job-workers.ts';
export { RedisRateLimiter, rateLimitHeaders, type RateLimiter, type RateLimitState } from './rate-limiter.ts';
export { isFinalStatus, StatusPublisher, SubmissionEventHub, type SubmissionStatusEvent } from './submission-events.ts';
export { subscribeTaskEvents, TaskEventPublisher, type TaskLiveEvent } from './task-events.ts';
