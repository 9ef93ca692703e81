/**
 * The API's Prometheus metrics (prom-client): uploads by outcome and their latency, requests shed
 * under load, and, read when scraped, the database pool and the queues. One registry per process,
 * so tests can build several apps side by side.
 */
import { poolStats, type Database } from '@mljudge/db';
import type { JobQueues } from '@mljudge/queue';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  readonly registry: Registry;
  /** Uploads answered, by outcome (accepted, rejected-quota, busy, ...). */
  readonly uploads: Counter<'outcome'>;
  /** Seconds from the upload's first byte to its answer. */
  readonly uploadSeconds: Histogram<'outcome'>;
  /** Requests refused with 503 because the event loop lagged. */
  readonly shed: Counter;
}

export function createApiMetrics(db: Database, queues: JobQueues): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'api' });
  collectDefaultMetrics({ register: registry });
  const uploads = new Counter({
    name: 'mljudge_uploads_total',
    help: 'Submission uploads answered, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const uploadSeconds = new Histogram({
    name: 'mljudge_upload_seconds',
    help: 'Time from the start of an upload to its answer',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const shed = new Counter({
    name: 'mljudge_requests_shed_total',
    help: 'API requests refused with 503 because the process was overloaded',
    registers: [registry],
  });
  new Gauge({
    name: 'mljudge_db_pool_connections',
    help: 'Database pool connections by state (waiting = queries waiting for one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats(db);
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'mljudge_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const depth of await queues.depths().catch(() => [])) {
        this.set({ queue: depth.queue, state: 'waiting' }, depth.waiting);
        this.set({ queue: depth.queue, state: 'active' }, depth.active);
        this.set({ queue: depth.queue, state: 'delayed' }, depth.delayed);
      }
    },
  });
  new Gauge({
    name: 'mljudge_queue_oldest_wait_seconds',
    help: 'How long the oldest waiting job of each queue has waited',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const depth of await queues.depths().catch(() => []))
        this.set({ queue: depth.queue }, depth.oldestWaitSeconds);
    },
  });
  return { registry, uploads, uploadSeconds, shed };
}
