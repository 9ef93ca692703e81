/**
 * Wires a worker process together: BullMQ consumers for the CPU queue, the scoring pool, the recovery
 * sweep, health, and one shutdown routine with a deadline.
 */
import type http from 'node:http';
import type { Config } from '@mljudge/config';
import { failSubmission, pendingDeliveries, type Database } from '@mljudge/db';
import {
  createProducerConnection,
  createWorkerConnection,
  evictionPolicyWarning,
  isJobName,
  parseJobPayload,
  publishSubmissionStatus,
  QUEUE_NAMES,
  ScoringQueues,
  type JobHandlers,
} from '@mljudge/queue';
import { LocalStorage } from '@mljudge/storage';
import { Worker, type Job } from 'bullmq';
import { requeueUnfinished } from './recovery.ts';
import { scoreSubmissionJob } from './score-job.ts';
import { RunnerPool } from './onnx/runner-pool.ts';
import { ScoringPool } from './scoring-pool.ts';
import { startHealthServer } from './health-server.ts';
import { deliverWebhook } from './webhook-delivery.ts';

export interface WorkerProcess {
  close(): Promise<void>;
}

export interface WorkerOptions {
  readonly config: Config;
  readonly db: Database;
  readonly redisUrl: string;
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

function jsonLog(message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), process: 'worker', message, ...fields })}\n`,
  );
}

export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const { config, db } = options;
  const log = options.log ?? jsonLog;
  const storage = new LocalStorage(config.storageDir);
  const pool = new ScoringPool(config.worker.concurrency, config.worker.scoringTimeoutMs);
  const runner = new RunnerPool({
    modelsPerChild: config.worker.modelsPerRunner,
    memoryLimitMb: config.worker.modelMemoryMb,
  });
  const producer = createProducerConnection(options.redisUrl);
  const consumer = createWorkerConnection(options.redisUrl);
  const queues = new ScoringQueues(producer, config.queue.prefix, config.queue);

  /** Tells API processes (waiting requests, SSE streams) that a submission started or finished. Best effort. */
  const announce = async (submissionId: string) => {
    const row = await db.submission.findUnique({
      where: { id: submissionId },
      select: { taskId: true, userId: true, status: true },
    });
    if (!row || row.status === 'QUEUED') return;
    await publishSubmissionStatus(producer, config.queue.prefix, {
      submissionId,
      taskId: row.taskId,
      userId: row.userId,
      status: row.status,
    }).catch((error: Error) => log('could not publish the status event', { error: error.message }));
  };

  const enqueueDeliveries = async (submissionId?: string) => {
    for (const delivery of await pendingDeliveries(db, submissionId ? { submissionId } : {}))
      await queues.enqueueDelivery({ deliveryId: delivery.id });
  };

  const handlers: JobHandlers = {
    'score-submission': async (payload, context) => {
      const outcome = await scoreSubmissionJob(
        { db, storage, pool, runner, providers: config.onnx.providers, log, onClaimed: (id) => void announce(id) },
        payload,
        context,
      );
      if (outcome === 'scored' || outcome === 'rejected') {
        await announce(payload.submissionId);
        await enqueueDeliveries(payload.submissionId).catch((error: Error) =>
          log('could not enqueue webhooks; the sweep will', { error: error.message }),
        );
      }
    },
    'deliver-webhook': (payload, context) => deliverWebhook(db, payload, context, config.webhooks),
  };

  const dispatch = async (job: Job) => {
    if (!isJobName(job.name)) throw new Error(`No handler for job ${job.name}`);
    const context = { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
    switch (job.name) {
      case 'score-submission':
        return handlers['score-submission'](parseJobPayload('score-submission', job.data), context);
      case 'deliver-webhook':
        return handlers['deliver-webhook'](parseJobPayload('deliver-webhook', job.data), context);
    }
  };
  const workerOptions = {
    connection: consumer,
    prefix: config.queue.prefix,
    lockDuration: config.worker.lockMs,
    stalledInterval: config.worker.stalledCheckMs,
  };
  // One consumer per scoring queue this worker takes; models run one at a time (they use every core, or the GPU).
  const scoringWorkers = config.worker.queues.map(
    (queue) =>
      new Worker(queue, dispatch, {
        ...workerOptions,
        concurrency: queue === QUEUE_NAMES.scoreGpu ? 1 : config.worker.concurrency,
      }),
  );
  // Webhook calls wait on the network, not the CPU: more of them in flight is cheap.
  const webhookWorker = new Worker(QUEUE_NAMES.webhooks, dispatch, { ...workerOptions, concurrency: 10 });
  webhookWorker.on('error', (error) => log('webhook worker error', { error: error.message }));
  const onFailed = (job: Job | undefined, error: Error) => {
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    log(exhausted ? 'job failed for good' : 'job failed, will retry', {
      jobId: job.id,
      attempt: job.attemptsMade,
      error: error.message,
    });
    if (exhausted && job.name === 'score-submission') {
      void failSubmission(db, String(job.id), 'SCORING_FAILED', {
        message:
          'Scoring failed repeatedly for a reason on our side; the TAs have been told. It does not count against your quota.',
        cause: error.message.slice(0, 500),
      })
        .then(() => announce(String(job.id)))
        .catch((failure: Error) => log('could not mark submission failed', { jobId: job.id, error: failure.message }));
    }
  };
  for (const scoringWorker of scoringWorkers) {
    scoringWorker.on('failed', onFailed);
    scoringWorker.on('error', (error) => log('worker error', { error: error.message }));
  }

  const warning = await evictionPolicyWarning(consumer).catch(() => null);
  if (warning) log(warning);

  const sweep = async () => {
    try {
      const seen = await requeueUnfinished(db, queues);
      if (seen > 0) log('recovery sweep', { unfinished: seen });
      await enqueueDeliveries();
    } catch (error) {
      log('recovery sweep failed', { error: (error as Error).message });
    }
  };
  await sweep();
  const sweeper = setInterval(() => void sweep(), config.worker.recoveryIntervalMs);
  sweeper.unref();

  let health: http.Server | undefined;
  if (config.worker.healthPort > 0) {
    health = await startHealthServer(config.worker.healthPort, config.api.host, async () => ({
      redis: consumer.status === 'ready',
      database: await db.$queryRaw`SELECT 1`.then(
        () => true,
        () => false,
      ),
    }));
  }
  log('worker ready', {
    queues: config.worker.queues,
    concurrency: config.worker.concurrency,
    providers: config.onnx.providers,
  });

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        health?.close();
        // Let active jobs finish within the grace period; after that, close anyway: their locks
        // expire and another worker picks them up, and the guarded transitions keep it exactly-once.
        const all = [...scoringWorkers, webhookWorker];
        const graceful = Promise.all(all.map((each) => each.close()));
        const deadline = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), config.worker.shutdownGraceMs).unref(),
        );
        if ((await Promise.race([graceful, deadline])) === 'timeout')
          await Promise.all(all.map((each) => each.close(true)));
        await pool.close();
        await runner.close();
        await queues.close();
        producer.disconnect();
        consumer.disconnect();
      })();
      return closing;
    },
  };
}
