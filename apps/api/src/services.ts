/** What route handlers need, created by the server (or a test) and handed to the app. */
import type { Config } from '@mljudge/config';
import type { Database } from '@mljudge/db';
import type { JobQueues, RateLimiter, SubmissionEventHub, TaskEventPublisher } from '@mljudge/queue';
import type { LocalStorage } from '@mljudge/storage';
import type { ApiMetrics } from './metrics.ts';

/** Request limits kept in Redis; a test that does not exercise one leaves it out. */
export interface Limiters {
  /** Requests per minute per user, over all their tokens and sessions. */
  readonly requests?: RateLimiter | undefined;
  /** Sign-in attempts per minute from one client address (any email). */
  readonly signInPerClient?: RateLimiter | undefined;
  /** Failed sign-ins per minute for one email from one client address. */
  readonly signInPerAccount?: RateLimiter | undefined;
  /** Failed sign-ins per minute for one email from everywhere (a distributed guess). */
  readonly signInPerEmail?: RateLimiter | undefined;
  /** Wrong current passwords per minute per user when changing it. */
  readonly passwordChecks?: RateLimiter | undefined;
}

export interface Services {
  readonly config: Config;
  readonly db: Database;
  readonly storage: LocalStorage;
  readonly queues: JobQueues;
  /** Injectable clock so quota and deadline rules can be tested across midnight. */
  readonly now: () => Date;
  /** "Submission changed" events from the workers; without it, waits fall back to polling. */
  readonly events?: SubmissionEventHub | undefined;
  /** Tells the workers of a task that is live for scoring; without it they learn at its first job. */
  readonly taskEvents?: TaskEventPublisher | undefined;
  readonly limiters?: Limiters;
  /** Prometheus metrics of this process; a test may leave them out. */
  readonly metrics?: ApiMetrics | undefined;
}
