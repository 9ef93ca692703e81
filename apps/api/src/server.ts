/** API process entry point: build the services, listen, and shut down on SIGTERM/SIGINT. */
import { loadConfig } from '@mljudge/config';
import { applyMigrations, createDatabase } from '@mljudge/db';
import { createProducerConnection, createWorkerConnection, ScoringQueues, SubmissionEventHub } from '@mljudge/queue';
import { LocalStorage } from '@mljudge/storage';
import { buildApp } from './app.ts';
import { RedisRateLimiter } from './rate-limit.ts';

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) {
  process.stderr.write('The API needs DATABASE_URL and REDIS_URL (npm start sets both for a local run).\n');
  process.exit(1);
}
await applyMigrations(config.databaseUrl);
const db = createDatabase(config.databaseUrl);
const redis = createProducerConnection(config.redisUrl);
redis.on('error', () => undefined); // surfaced by /readyz and 503s, not as log spam
const queues = new ScoringQueues(redis, config.queue.prefix, config.queue);
// A connection of its own for pub/sub; it reconnects by itself if Redis restarts.
const subscriber = createWorkerConnection(config.redisUrl);
subscriber.on('error', () => undefined);
const events = await SubmissionEventHub.connect(subscriber, config.queue.prefix).catch(() => undefined);
const app = await buildApp(
  {
    config,
    db,
    storage: new LocalStorage(config.storageDir),
    queues,
    events,
    now: () => new Date(),
    rateLimiter: new RedisRateLimiter(redis, config.queue.prefix, config.api.rateLimitPerMinute),
    loginLimiter: new RedisRateLimiter(redis, `${config.queue.prefix}:login`, config.api.loginAttemptsPerMinute),
  },
  { logger: { level: config.logLevel }, bodyLimit: 1024 * 1024 },
);
await app.listen({ host: config.api.host, port: config.api.port });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    void app
      .close()
      .then(() => queues.close())
      .then(() => events?.close())
      .then(() => {
        redis.disconnect();
        return db.$disconnect();
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
