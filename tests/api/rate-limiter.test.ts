/**
 * The Redis rate limiter on the real Redis, with the clock set by hand: a sliding minute, so a
 * burst across a minute boundary gets no more through than one inside a minute, and Retry-After
 * names a time at which a request is let through.
 */
import { randomBytes } from 'node:crypto';
import { RedisRateLimiter } from '@mljudge/queue';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../support/environment.ts';

const redis = new Redis(TEST_REDIS_URL);
const prefix = `mljudge-test-limiter-${randomBytes(6).toString('hex')}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** A minute boundary well away from now, so that keys of earlier runs cannot be in the way. */
const boundary = Math.ceil(Date.UTC(2030, 0, 1) / 60_000) * 60_000;
const at = (secondsFromBoundary: number) => new Date(boundary + secondsFromBoundary * 1000);

async function hits(limiter: RedisRateLimiter, key: string, count: number, when: Date) {
  const answers = [];
  for (let i = 0; i < count; i++) answers.push((await limiter.hit(key, when))!);
  return answers;
}

describe('RedisRateLimiter', () => {
  it('lets no more than the limit through in any minute, across a minute boundary too', async () => {
    const limiter = new RedisRateLimiter(redis, prefix, 20);
    const early = await hits(limiter, 'boundary', 20, at(-0.5));
    expect(early.every((state) => state.allowed)).toBe(true);
    // A fixed window would start again from zero here and let 20 more through.
    const late = await hits(limiter, 'boundary', 5, at(0.5));
    expect(late.map((state) => state.allowed)).toEqual([false, false, false, false, false]);
  });

  it("lets last minute's hits fade as the minute goes by", async () => {
    const limiter = new RedisRateLimiter(redis, prefix, 10);
    expect((await hits(limiter, 'fade', 10, at(-30))).every((state) => state.allowed)).toBe(true);
    // Halfway through the next minute, half of last minute's 10 still weigh: 5 more fit, not 6.
    const half = await hits(limiter, 'fade', 6, at(30));
    expect(half.map((state) => state.allowed)).toEqual([true, true, true, true, true, false]);
    expect(half[0]!.remaining).toBe(4);
  });

  it('answers a refusal with a wait after which the next request is let through, and not before', async () => {
    const limiter = new RedisRateLimiter(redis, prefix, 3);
    await hits(limiter, 'retry', 3, at(50));
    const refused = (await limiter.hit('retry', at(50)))!;
    expect(refused.allowed).toBe(false);
    expect(refused.resetSeconds).toBeGreaterThan(10);
    // A client that comes back a few seconds early is refused (and that hit, taken back here, would
    // count); one that waits as told gets through.
    const soon = (await limiter.hit('retry', at(50 + refused.resetSeconds - 5)))!;
    expect(soon.allowed).toBe(false);
    await limiter.refund('retry', at(50 + refused.resetSeconds - 5));
    expect((await limiter.hit('retry', at(50 + refused.resetSeconds)))!.allowed).toBe(true);
  });

  it('takes a refunded hit back, so work that did not count leaves the limit as it was', async () => {
    const limiter = new RedisRateLimiter(redis, prefix, 2);
    for (let i = 0; i < 5; i++) {
      expect((await limiter.hit('refund', at(10)))!.allowed).toBe(true);
      await limiter.refund('refund', at(10));
    }
    expect((await hits(limiter, 'refund', 3, at(10))).map((state) => state.allowed)).toEqual([true, true, false]);
  });
});
