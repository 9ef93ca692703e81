/**
 * Wires a worker process together: the job workers for its queues (from the catalog in
 * packages/queue), the scoring threads and the model runner, the recovery and storage sweeps, health
 * and metrics, and one shutdown routine with a deadline. A Postgres or Redis restart is survived:
 * jobs fail and retry while it is gone, Redis reconnects by itself, and when Redis comes back (empty,
 * perhaps) the recovery sweep runs at once.
 */
import type http from 'node:http';
import type { Config } from '@mljudge/config';
import { liveFileTasks, pingDatabase, type Database } from '@mljudge/db';
import {
  createProducerConnection,
  createWorkerConnection,
  evictionPolicyWarning,
  JobQueues,
  QUEUE_NAMES,
  startJobWorkers,
  StatusPublisher,
  subscribeTaskEvents,
  type QueueName,
} from '@mljudge/queue';
import { probeSandbox } from '@mljudge/sandbox';
import { LocalStorage } from '@mljudge/storage';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Announcer } from './announcer.ts';
import { startHealthServer } from './health-server.ts';
import { scoreSubmissionHandler, taskFilesOf } from './jobs/score-submission.ts';
import { createWorkerMetrics } from './metrics.ts';
import { RunnerPool } from './models/runner-pool.ts';
import { requeueUnfinished } from './recovery.ts';
import { CACHED_TASKS } from './scoring/protocol.ts';
import { ScoringPool } from './scoring/scoring-pool.ts';
import { sweepStorage } from './storage-sweeper.ts';
import { deliverWebhook } from './webhooks/deliver-webhook.ts';

export interface WorkerProcess {
  close(): Promise<void>;
  /** Runs the recovery sweep now (tests; it also runs on its own). */
  sweep(): Promise<void>;
  /** Runs the storage sweeper now. */
  sweepStorage(): ReturnType<typeof sweepStorage>;
  /** The worker's Prometheus metrics, as its health server's /metrics serves them. */
  readonly metrics: Registry;
}

export interface WorkerOptions {
  readonly config: Config;
  readonly db: Database;
  readonly redisUrl: string;
  readonly log?: Logger;
}

/** Webhook calls wait on the network, not the CPU: more of them in flight is cheap. */
const WEBHOOK_CONCURRENCY = 10;

export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const { config, db } = options;
  const log = options.log ?? pino({ level: config.logLevel, base: { process: 'worker' } });
  const metrics = createWorkerMetrics();
  const storage = new LocalStorage(config.storageDir);
  const pool = new ScoringPool(config.worker.concurrency, config.worker.scoringTimeoutMs, (taskKey, message) =>
    log.warn({ taskKey, reason: message }, 'a scoring thread could not preload a task; its first job there loads it'),
  );
  // A restarted worker decodes the live tasks while it starts, not in its first jobs; a task that goes
  // live later (a new bundle, shown again) is decoded when the API says so. The pool skips the task
  // versions it already keeps, so listing them all again costs one query.
  const preloadLiveTasks = async (trigger: 'start' | 'live') => {
    const tasks = await liveFileTasks(db, new Date(), CACHED_TASKS);
    const fresh = tasks.map((task) => taskFilesOf(storage, task)).filter((task) => !pool.keeps(task.taskKey));
    await pool.preload(fresh);
    metrics.preloads.inc({ trigger }, fresh.length);
  };
  preloadLiveTasks('start').catch((error: unknown) =>
    log.warn({ err: error }, 'could not list the live tasks to preload; their first jobs load them'),
  );
  const runner = new RunnerPool({
    modelsPerChild: config.worker.modelsPerRunner,
    memoryLimitMb: config.worker.modelMemoryMb,
  });
  const producer = createProducerConnection(options.redisUrl);
  const consumer = createWorkerConnection(options.redisUrl);
  let lastRedisError = 0;
  const onRedisError = (error: Error) => {
    if (Date.now() - lastRedisError < 10_000) return;
    lastRedisError = Date.now();
    log.warn({ err: error }, 'redis connection error; retrying');
  };
  producer.on('error', onRedisError);
  consumer.on('error', onRedisError);
  // Pub/sub blocks a connection's other commands: the task events get one of their own.
  const subscriber = createWorkerConnection(options.redisUrl);
  subscriber.on('error', onRedisError);
  await subscribeTaskEvents(subscriber, config.queue.prefix, ({ taskId }) => {
    preloadLiveTasks('live').catch((error: unknown) =>
      log.warn({ err: error, taskId }, 'could not preload a task that went live; its first jobs load it'),
    );
  }).catch((error: unknown) =>
    log.warn({ err: error }, 'not subscribed to task events yet; new tasks load in their first jobs'),
  );
  const queues = new JobQueues(producer, config.queue.prefix, config.queue);
  const announcer = new Announcer(db, new StatusPublisher(producer, config.queue.prefix), queues, log);

  const taken = [...(config.worker.queues as QueueName[]), QUEUE_NAMES.webhooks];
  if (taken.includes(QUEUE_NAMES.scoreProgram)) {
    // Foreign code runs sandboxed or not at all: without a working sandbox this worker leaves the
    // program queue to workers that have one, and says so once, at start.
    const sandbox = await probeSandbox();
    if (!sandbox.ok) {
      taken.splice(taken.indexOf(QUEUE_NAMES.scoreProgram), 1);
      log.error(
        { queue: QUEUE_NAMES.scoreProgram, reason: sandbox.reason },
        'not taking scoring programs: the sandbox cannot be set up here',
      );
    }
  }
  const workers = startJobWorkers({
    connection: consumer,
    prefix: config.queue.prefix,
    queues: [...new Set(taken)],
    // Models run one at a time (they use every core, or the GPU); files a few per scoring thread,
    // whose pool hands them a thread as one frees.
    concurrency: (queue) =>
      queue === QUEUE_NAMES.webhooks
        ? WEBHOOK_CONCURRENCY
        : queue === QUEUE_NAMES.scoreCpu
          ? config.worker.concurrency * config.worker.jobsPerThread
          : // One sandboxed program per slot; models one at a time.
            queue === QUEUE_NAMES.scoreProgram
            ? config.worker.concurrency
            : 1,
    lockMs: config.worker.lockMs,
    stalledCheckMs: config.worker.stalledCheckMs,
    onError: (error, queue) => log.warn({ err: error, queue }, 'queue worker error'),
    handlers: {
      'score-submission': scoreSubmissionHandler({
        db,
        storage,
        pool,
        runner,
        announcer,
        metrics,
        log,
        providers: config.onnx.providers,
        maxInterruptions: config.worker.maxInterruptions,
        sandboxReadOnly: config.sandbox.readOnly,
      }),
      'deliver-webhook': { run: (payload, context) => deliverWebhook(db, payload, context, config.webhooks) },
    },
  });

  const warning = await evictionPolicyWarning(consumer).catch(() => null);
  if (warning) log.warn(warning);

  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    sweeping ??= requeueUnfinished(db, queues)
      .then((seen) => {
        if (seen > 0) log.info({ unfinished: seen }, 'recovery sweep');
        metrics.requeued.inc(seen);
      })
      .catch((error: Error) => log.warn({ err: error }, 'recovery sweep failed; retrying on the next one'))
      .finally(() => (sweeping = null));
    return sweeping;
  };
  // Redis restarted (maybe empty): put every unfinished submission back at once, not at the next tick.
  producer.on('ready', () => void sweep());
  await sweep();
  const sweeper = setInterval(() => void sweep(), config.worker.recoveryIntervalMs);
  sweeper.unref();
  const sweepFiles = () =>
    sweepStorage(
      db,
      storage,
      { minAgeMs: config.storage.partMaxAgeMs, rejectedRetentionDays: config.storage.rejectedRetentionDays },
      new Date(),
      metrics,
    );
  const storageSweeper = setInterval(() => {
    sweepFiles().catch((error: Error) => log.warn({ err: error }, 'storage sweep failed'));
  }, config.worker.sweepIntervalMs);
  storageSweeper.unref();

  let health: http.Server | undefined;
  if (config.worker.healthPort > 0) {
    health = await startHealthServer(
      config.worker.healthPort,
      config.api.host,
      async () => ({
        redis: consumer.status === 'ready',
        database: await pingDatabase(db),
        workers: workers.isRunning(),
      }),
      metrics.registry,
    );
  }
  log.info({ queues: taken, concurrency: config.worker.concurrency, providers: config.onnx.providers }, 'worker ready');

  let closing: Promise<void> | undefined;
  return {
    sweep,
    sweepStorage: sweepFiles,
    metrics: metrics.registry,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        clearInterval(storageSweeper);
        health?.close();
        // Let active jobs finish within the grace period; after that, close anyway: their locks
        // expire and another worker picks them up, and the guarded transitions keep it exactly-once.
        const deadline = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), config.worker.shutdownGraceMs).unref(),
        );
        if ((await Promise.race([workers.close(), deadline])) === 'timeout') await workers.close(true);
        await pool.close();
        await runner.close();
        await queues.close();
        subscriber.disconnect();
        producer.disconnect();
        consumer.disconnect();
      })();
      return closing;
    },
  };
}
