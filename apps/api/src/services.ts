/** What route handlers need, created by the server (or a test) and handed to the app. */
import type { Config } from '@mljudge/config';
import type { Database } from '@mljudge/db';
import type { ScoringQueues, SubmissionEventHub } from '@mljudge/queue';
import type { LocalStorage } from '@mljudge/storage';
import type { RateLimiter } from './rate-limit.ts';

export interface Services {
  readonly config: Config;
  readonly db: Database;
  readonly storage: LocalStorage;
  readonly queues: ScoringQueues;
  /** Injectable clock so quota and deadline rules can be tested across midnight. */
  readonly now: () => Date;
  /** "Submission finished" events from the workers; without it, waits fall back to polling. */
  readonly events?: SubmissionEventHub | undefined;
  /** Per-token request limits; none in tests that do not exercise them. */
  readonly rateLimiter?: RateLimiter | undefined;
  /** Failed web sign-ins per email; none in tests that do not exercise it. */
  readonly loginLimiter?: RateLimiter | undefined;
}
