/**
 * Finds a Redis for `npm start` when no REDIS_URL is given: one already answering on the default port,
 * else a `redis-server` child started with no persistence and the noeviction policy BullMQ needs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';

export interface RunningRedis {
  readonly url: string;
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new RedisUnavailableError(`redis-server exited with code ${child.exitCode}.`);
    if (await answers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new RedisUnavailableError(`redis-server did not answer on ${url} within ${timeoutMs} ms.`);
}

export async function findOrStartRedis(port: number, log: (line: string) => void): Promise<RunningRedis> {
  const standard = 'redis://127.0.0.1:6379';
  if (await answers(standard)) {
    log(`using the Redis already running at ${standard}`);
    return { url: standard, stop: async () => undefined };
  }
  if (spawnSync('redis-server', ['--version']).error) {
    throw new RedisUnavailableError(
      'No Redis answers on 127.0.0.1:6379 and redis-server is not installed. Either set REDIS_URL=redis://host:port, ' +
        'or install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) and run npm start again.',
    );
  }
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(url, child, 10_000);
  log(`started redis-server on ${url}`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
