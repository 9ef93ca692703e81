/**
 * Request limits over a sliding minute, kept in Redis so that every API process shares the count.
 * Each key counts hits per clock minute, and a hit is judged by this minute's count plus last
 * minute's, weighted by how much of last minute is still within the past 60 s (Cloudflare's
 * approximation). A fixed window alone let twice the limit through across a minute boundary: 20
 * guesses at 12:00:59 and 20 more at 12:01:00. A hit is counted before the work it guards (INCR is
 * atomic), so N parallel requests can never get more than the limit through; work that turns out
 * not to count (a sign-in that succeeded) is refunded afterwards. Answers carry the IETF RateLimit
 * headers. When Redis cannot be reached the request is let through: the limit protects the
 * service, and a Redis outage already makes uploads fail fast.
 */
import type { Redis } from 'ioredis';

export interface RateLimitState {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /**
   * Refused: seconds until a request would be let through again (Retry-After). Let through: seconds
   * until this minute's hits start to weigh less.
   */
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
    const { current, previous, elapsed } = this.windowOf(key, now);
    try {
      const results = await this.redis
        .multi()
        .incr(current)
        .expire(current, WINDOW_SECONDS * 2)
        .get(previous)
        .exec();
      return this.state(Number(results?.[0]?.[1] ?? 0), Number(results?.[2]?.[1] ?? 0), elapsed);
    } catch {
      return null;
    }
  }

  async refund(key: string, now: Date): Promise<void> {
    await this.redis.decr(this.windowOf(key, now).current).catch(() => undefined);
  }

  private windowOf(key: string, now: Date) {
    const seconds = now.getTime() / 1000;
    const window = Math.floor(seconds / WINDOW_SECONDS);
    const keyOf = (minute: number) => `${this.prefix}:ratelimit:${key}:${minute}`;
    return { current: keyOf(window), previous: keyOf(window - 1), elapsed: seconds - window * WINDOW_SECONDS };
  }

  /** `count` hits this minute (this one included), `before` last minute, `elapsed` s into this one. */
  private state(count: number, before: number, elapsed: number): RateLimitState {
    const estimate = count + before * (1 - elapsed / WINDOW_SECONDS);
    const allowed = estimate <= this.perMinute;
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.max(0, Math.floor(this.perMinute - estimate)),
      resetSeconds: allowed
        ? Math.ceil(WINDOW_SECONDS - elapsed)
        : Math.max(1, Math.ceil(this.secondsUntilNextHit(count, before, elapsed))),
    };
  }

  /**
   * When one more hit would fit: within this minute once last minute's share has faded enough, or
   * else in the next minute, once this minute's own hits have faded in their turn.
   */
  private secondsUntilNextHit(count: number, before: number, elapsed: number): number {
    const room = this.perMinute - count - 1;
    if (room >= 0) return Math.max(0, WINDOW_SECONDS * (1 - room / before) - elapsed);
    const fadedInto = WINDOW_SECONDS * (1 - (this.perMinute - 1) / count);
    return WINDOW_SECONDS - elapsed + Math.max(0, fadedInto);
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
