/**
 * Redis connections for the two sides. The api's producer fails fast (one try, no offline queue) so an
 * upload gets 503 + Retry-After at once when Redis is down; workers block and reconnect forever, as
 * BullMQ requires (maxRetriesPerRequest: null).
 */
import { Redis } from 'ioredis';

export function createProducerConnection(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

export function createWorkerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 500, 5000) });
}

/**
 * BullMQ loses jobs if Redis evicts keys under memory pressure. Returns a warning when the server's
 * policy is anything but noeviction (managed Redis may forbid CONFIG, in which case we cannot tell).
 */
export async function evictionPolicyWarning(connection: Redis): Promise<string | null> {
  try {
    const result = await connection.config('GET', 'maxmemory-policy');
    const policy = result[1];
    return policy && policy !== 'noeviction'
      ? `Redis maxmemory-policy is ${policy}; set it to noeviction or queued jobs can be evicted.`
      : null;
  } catch {
    return null;
  }
}
