/**
 * API process entry point: build the services, listen, and shut down on SIGTERM/SIGINT within the
 * grace period. Connection failures of Postgres or Redis are logged (rate-limited) and never end the
 * process: requests meanwhile get 503, and both clients reconnect by themselves.
 */
import { loadConfig, serviceUrls } from '@mljudge/config';
import { applyMigrations, closeDatabase, configurePasswordHashing, createDatabase } from '@mljudge/db';
import {
  createProducerConnection,
  createWorkerConnection,
  JobQueues,
  RedisRateLimiter,
  SubmissionEventHub,
  TaskEventPublisher,
} from '@mljudge/queue';
import { LocalStorage } from '@mljudge/storage';
import pino from 'pino';
import { buildApp } from './app.ts';
import { createApiMetrics } from './metrics.ts';
import { throttled } from './throttled-log.ts';

const config = loadConfig();
const log = pino({ level: config.logLevel, base: { process: 'api' } });
const { databaseUrl, redisUrl } = serviceUrls(config, 'API');
configurePasswordHashing({ concurrency: config.api.passwordHashConcurrency });
await applyMigrations(databaseUrl);

const warn = throttled((message: string, error: Error) => log.warn({ err: error }, message));
const db = createDatabase(databaseUrl, {
  maxConnections: config.api.databasePoolSize,
  onConnectionError: (error) => warn('database connection error', error),
});
const redis = createProducerConnection(redisUrl);
redis.on('error', (error: Error) => warn('redis connection error', error));
const queues = new JobQueues(redis, config.queue.prefix, config.queue);
// A connection of its own for pub/sub; it reconnects and resubscribes by itself if Redis restarts.
const subscriber = createWorkerConnection(redisUrl);
subscriber.on('error', (error: Error) => warn('redis subscriber error', error));
const events = await SubmissionEventHub.connect(subscriber, config.queue.prefix).catch((error: Error) => {
  log.warn({ err: error }, 'live updates unavailable until Redis answers');
  return undefined;
});
const limiter = (name: string, perMinute: number) =>
  new RedisRateLimiter(redis, `${config.queue.prefix}:${name}`, perMinute);
const app = await buildApp(
  {
    config,
    db,
    storage: new LocalStorage(config.storageDir),
    queues,
    events,
    taskEvents: new TaskEventPublisher(redis, config.queue.prefix),
    now: () => new Date(),
    metrics: createApiMetrics(db, queues),
    limiters: {
      requests: limiter('requests', config.api.rateLimitPerMinute),
      signInPerClient: limiter('sign-in-client', config.api.signInAttemptsPerClient),
      signInPerAccount: limiter('sign-in-account', config.api.loginAttemptsPerMinute),
      signInPerEmail: limiter('sign-in-email', config.api.loginAttemptsPerEmail),
      passwordChecks: limiter('password-checks', config.api.loginAttemptsPerMinute),
    },
  },
  { loggerInstance: log, bodyLimit: 1024 * 1024 },
);
await app.listen({ host: config.api.host, port: config.api.port });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), config.worker.shutdownGraceMs);
    deadline.unref();
    void app
      .close()
      .then(() => queues.close())
      .then(() => events?.close())
      .then(() => {
        redis.disconnect();
        return closeDatabase(db);
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
