/**
 * Request limits in fixed one-minute windows kept in Redis, so every API process shares the count.
 * A hit is counted before the work it guards (INCR is atomic), so N parallel requests can never get
 * more than the limit through; work that turns out not to count (a sign-in that succeeded) is
 * refunded afterwards. Answers carry the IETF RateLimit headers. When Redis cannot be reached the
 * request is let through: the limit protects the service, and a Redis outage already makes uploads
 * fail fast.
 */
import type { Redis } from 'ioredis';

export interface RateLimitState {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request and says whether it is within the limit. */
  hit(key: string, now: Date): Promise<RateLimitState | null>;
  /** Takes back a hit of this window that turned out not to count. */
  refund(key: string, now: Date): Promise<void>;
}

const WINDOW_SECONDS = 60;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
  ) {}

  async hit(key: string, now: Date): Promise<RateLimitState | null> {
    const { redisKey, window, seconds } = this.windowOf(key, now);
    try {
      const results = await this.redis
        .multi()
        .incr(redisKey)
        .expire(redisKey, WINDOW_SECONDS * 2)
        .exec();
      return this.state(Number(results?.[0]?.[1] ?? 0), window, seconds);
    } catch {
      return null;
    }
  }

  async refund(key: string, now: Date): Promise<void> {
    await this.redis.decr(this.windowOf(key, now).redisKey).catch(() => undefined);
  }

  private windowOf(key: string, now: Date) {
    const seconds = Math.floor(now.getTime() / 1000);
    const window = Math.floor(seconds / WINDOW_SECONDS);
    return { redisKey: `${this.prefix}:ratelimit:${key}:${window}`, window, seconds };
  }

  private state(count: number, window: number, seconds: number): RateLimitState {
    return {
      allowed: count <= this.perMinute,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - count),
      resetSeconds: (window + 1) * WINDOW_SECONDS - seconds,
    };
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-policy': `${state.limit};w=${WINDOW_SECONDS}`,
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(state.remaining),
    'ratelimit-reset': String(state.resetSeconds),
  };
}
