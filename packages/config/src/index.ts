/**
 * The one place that reads the environment. Every process calls `loadConfig()` once at start-up and
 * passes the frozen result down; nothing else touches `process.env`.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly storageDir: string;
  readonly dataDir: string;
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** Upper bound for any upload; a task may set a lower one. */
    readonly maxUploadBytes: number;
    /** Longest `?wait=` a client may ask for, in seconds. */
    readonly maxWaitSeconds: number;
    /** Requests per minute per API token. */
    readonly rateLimitPerMinute: number;
    /** Failed sign-ins per minute per email before the web sign-in answers 429. */
    readonly loginAttemptsPerMinute: number;
    /** How long a web sign-in lasts, in hours. */
    readonly sessionHours: number;
    /** Mark the session cookie Secure: always, never, or when the request came over HTTPS ("auto"). */
    readonly secureCookies: 'always' | 'never' | 'auto';
    /** The built web app (apps/web/dist), served at / when it exists. */
    readonly webDir: string;
  };
  readonly worker: {
    readonly concurrency: number;
    readonly healthPort: number;
    /** How long a shutdown waits for active jobs before handing them back. */
    readonly shutdownGraceMs: number;
    /** A job whose worker stops renewing its lock this long is handed to another worker. */
    readonly lockMs: number;
    /** How often each worker looks for jobs whose lock expired (a crashed worker's jobs). */
    readonly stalledCheckMs: number;
    /** Longest a single file may take to validate and score before the attempt is abandoned. */
    readonly scoringTimeoutMs: number;
    /** How often unfinished submissions in Postgres are re-enqueued (lost Redis jobs). */
    readonly recoveryIntervalMs: number;
    /** Queues this worker takes: score-cpu (files), score-gpu (models). */
    readonly queues: readonly string[];
    /** Model submissions a runner process scores before it is replaced (onnxruntime leaks per session). */
    readonly modelsPerRunner: number;
    /** Resident memory a model may use while it runs, in MiB. */
    readonly modelMemoryMb: number;
  };
  readonly queue: {
    /** BullMQ key prefix; lets tests and several deployments share one Redis. */
    readonly prefix: string;
    readonly attempts: number;
    readonly backoffMs: number;
  };
  readonly webhooks: {
    /** Allow webhook URLs that resolve to loopback, private or link-local addresses (development only). */
    readonly allowPrivateNetworks: boolean;
  };
  readonly onnx: {
    /** Execution providers in order of preference; CPU is always the last resort. */
    readonly providers: readonly string[];
  };
  readonly logLevel: string;
}

// The web app's build output in this checkout (vite builds it there; see apps/web).
const WEB_DIST_DIR = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, key: string, fallback: number, min = 0): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${key} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got ${JSON.stringify(env[key])}`);
}

function choice<const T extends readonly string[]>(env: Env, key: string, allowed: T, fallback: T[number]): T[number] {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw))
    throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(env[key])}`);
  return raw;
}

function text(env: Env, key: string): string | undefined {
  const raw = env[key];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parses and validates the environment into a nested, typed, frozen configuration. */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(text(env, 'MLJUDGE_DATA_DIR') ?? path.join(process.cwd(), '.data'));
  const providers = (text(env, 'ONNX_PROVIDERS') ?? 'cpu')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  if (!providers.includes('cpu')) providers.push('cpu');
  return deepFreeze({
    databaseUrl: text(env, 'DATABASE_URL'),
    redisUrl: text(env, 'REDIS_URL'),
    dataDir,
    storageDir: path.resolve(text(env, 'STORAGE_DIR') ?? path.join(dataDir, 'storage')),
    api: {
      host: text(env, 'API_HOST') ?? '127.0.0.1',
      port: integer(env, 'API_PORT', 3000),
      maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 64 * 1024 * 1024, 1),
      maxWaitSeconds: integer(env, 'MAX_WAIT_SECONDS', 60),
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1),
      loginAttemptsPerMinute: integer(env, 'LOGIN_ATTEMPTS_PER_MINUTE', 10, 1),
      sessionHours: integer(env, 'SESSION_HOURS', 24 * 14, 1),
      secureCookies: choice(env, 'SECURE_COOKIES', ['auto', 'always', 'never'] as const, 'auto'),
      webDir: path.resolve(text(env, 'WEB_DIR') ?? WEB_DIST_DIR),
    },
    worker: {
      concurrency: integer(env, 'WORKER_CONCURRENCY', Math.max(1, Math.min(4, os.availableParallelism())), 1),
      healthPort: integer(env, 'WORKER_HEALTH_PORT', 3001),
      shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000),
      lockMs: integer(env, 'WORKER_LOCK_MS', 60_000, 1000),
      stalledCheckMs: integer(env, 'WORKER_STALLED_CHECK_MS', 30_000, 500),
      scoringTimeoutMs: integer(env, 'SCORING_TIMEOUT_MS', 120_000, 1000),
      recoveryIntervalMs: integer(env, 'RECOVERY_INTERVAL_MS', 30_000, 500),
      queues: (text(env, 'WORKER_QUEUES') ?? 'score-cpu,score-gpu')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
      modelsPerRunner: integer(env, 'MODELS_PER_RUNNER', 20, 1),
      modelMemoryMb: integer(env, 'MODEL_MEMORY_MB', 4096, 256),
    },
    queue: {
      prefix: text(env, 'QUEUE_PREFIX') ?? 'mljudge',
      attempts: integer(env, 'QUEUE_ATTEMPTS', 5, 1),
      backoffMs: integer(env, 'QUEUE_BACKOFF_MS', 2000, 1),
    },
    webhooks: { allowPrivateNetworks: flag(env, 'WEBHOOK_ALLOW_PRIVATE', false) },
    onnx: { providers },
    logLevel: text(env, 'LOG_LEVEL') ?? 'info',
  });
}
