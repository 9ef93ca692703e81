/**
 * An in-process api + worker over the real Postgres (a private database) and the real Redis (a private
 * queue prefix), for tests that drive the HTTP API with app.inject.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildApp, type Services } from '@mljudge/api';
import { loadConfig, type Config } from '@mljudge/config';
import {
  createProducerConnection,
  createWorkerConnection,
  JobQueues,
  SubmissionEventHub,
  TaskEventPublisher,
} from '@mljudge/queue';
import { LocalStorage } from '@mljudge/storage';
import { startWorker, type WorkerProcess } from '@mljudge/worker';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from './database.ts';
import { TEST_REDIS_URL } from './environment.ts';

export interface TestStack {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly storage: LocalStorage;
  readonly database: ReturnType<typeof useTestDatabase>;
  readonly clock: { now: Date | null };
  readonly queues: JobQueues;
  worker: WorkerProcess | null;
  startWorker(): Promise<WorkerProcess>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    STORAGE_DIR: mkdtempSync(path.join(tmpdir(), 'mljudge-storage-')),
    QUEUE_PREFIX: `mljudge-test-${randomBytes(6).toString('hex')}`,
    WORKER_CONCURRENCY: '2',
    WORKER_HEALTH_PORT: '0',
    QUEUE_BACKOFF_MS: '100',
    RECOVERY_INTERVAL_MS: '1000',
    // A loaded test machine lags; load shedding is tested on its own.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Test receivers listen on loopback.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...overrides,
  });
}

/** A logger that writes nothing (tests read state, not logs). */
export const silentLog = () => pino({ level: 'silent' });

/** Registers hooks that build the stack before the file's tests and tear everything down after. */
export function useTestStack(
  options: { worker?: boolean; config?: Record<string, string>; services?: (base: Services) => Partial<Services> } = {},
): TestStack {
  const database = useTestDatabase();
  const config = testConfig(options.config);
  const clock: { now: Date | null } = { now: null };
  let producer: Redis;
  let events: SubmissionEventHub;
  const stack = {
    database,
    config,
    clock,
    storage: new LocalStorage(config.storageDir),
    worker: null as WorkerProcess | null,
    app: null as unknown as FastifyInstance,
    queues: null as unknown as JobQueues,
    async startWorker() {
      this.worker = await startWorker({ config, db: database.db, redisUrl: TEST_REDIS_URL, log: silentLog() });
      return this.worker;
    },
  } satisfies TestStack;
  beforeAll(async () => {
    producer = createProducerConnection(TEST_REDIS_URL);
    stack.queues = new JobQueues(producer, config.queue.prefix, config.queue);
    events = await SubmissionEventHub.connect(createWorkerConnection(TEST_REDIS_URL), config.queue.prefix);
    const base: Services = {
      config,
      db: database.db,
      storage: stack.storage,
      queues: stack.queues,
      events,
      taskEvents: new TaskEventPublisher(producer, config.queue.prefix),
      now: () => clock.now ?? new Date(),
    };
    stack.app = await buildApp({ ...base, ...options.services?.(base) });
    await stack.app.ready();
    if (options.worker !== false) await stack.startWorker();
  });
  afterAll(async () => {
    await stack.worker?.close();
    await stack.app?.close();
    await stack.queues.close();
    await events.close();
    // Obliterate this file's queue keys so Redis is left as we found it.
    const cleaner = new Redis(TEST_REDIS_URL);
    const keys = await cleaner.keys(`${config.queue.prefix}:*`);
    if (keys.length > 0) await cleaner.del(...keys);
    cleaner.disconnect();
    producer.disconnect();
    rmSync(config.storageDir, { recursive: true, force: true });
  });
  return stack;
}
