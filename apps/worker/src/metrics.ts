/** The worker's Prometheus metrics: scoring time by task, attempts, failures, sweeps, preloads. */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly scoringSeconds: Histogram<'task' | 'outcome'>;
  readonly attempts: Counter<'attempt'>;
  readonly failures: Counter<'reason'>;
  readonly requeued: Counter;
  readonly swept: Counter<'kind'>;
  readonly preloads: Counter<'trigger'>;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'worker' });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    scoringSeconds: new Histogram({
      name: 'mljudge_scoring_seconds',
      help: 'Time to validate and score one submission, by task and outcome',
      labelNames: ['task', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    attempts: new Counter({
      name: 'mljudge_scoring_attempts_total',
      help: 'Scoring attempts started, by attempt number (5 = fifth or later)',
      labelNames: ['attempt'] as const,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'mljudge_scoring_failures_total',
      help: 'Submissions that ended FAILED, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    requeued: new Counter({
      name: 'mljudge_recovery_requeued_total',
      help: 'Unfinished submissions the recovery sweep put back on the queue',
      registers: [registry],
    }),
    swept: new Counter({
      name: 'mljudge_storage_swept_total',
      help: 'Files the storage sweeper deleted, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    preloads: new Counter({
      name: 'mljudge_task_preloads_total',
      help: 'Task versions every scoring thread has decoded ahead of their jobs, by what asked (start, live)',
      labelNames: ['trigger'] as const,
      registers: [registry],
    }),
  };
}
