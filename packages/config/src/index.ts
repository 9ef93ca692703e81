/**
 * The one place that reads the environment. Every process calls `loadConfig()` once at start-up and
 * passes the frozen result down; nothing else touches `process.env`.
 */
import os from 'node:os';
import path from 'node:path';

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
    /** Requests per minute per user (all their tokens and sessions together). */
    readonly rateLimitPerMinute: number;
    /** Failed sign-ins per minute for one email from one client address. */
    readonly loginAttemptsPerMinute: number;
    /** Failed sign-ins per minute for one email from all addresses together. */
    readonly loginAttemptsPerEmail: number;
    /** Sign-in attempts per minute from one client address, whatever the email. */
    readonly signInAttemptsPerClient: number;
    /** How long a web sign-in lasts, in hours. */
    readonly sessionHours: number;
    /** Mark the session cookie Secure: always, never, or when the request came over HTTPS ("auto"). */
    readonly secureCookies: 'always' | 'never' | 'auto';
    /** Proxies whose X-Forwarded-* headers are believed (Fastify's trustProxy): true, false, or addresses. */
    readonly trustProxy: boolean | string[];
    /** The built web app (apps/web/dist), served at / when it exists. */
    readonly webDir: string;
    /** The CLI built as one file (apps/cli/dist/mljudge.mjs), served at /downloads/mljudge.mjs. */
    readonly cliBundle: string;
    /** Connections to Postgres this API process may hold. */
    readonly databasePoolSize: number;
    /** Uploads one API process reads at once; past it a new one gets 503 before it is read. */
    readonly maxConcurrentUploads: number;
    /** Queries waiting for a pooled connection past which a new upload gets 503 before it is read. */
    readonly maxPoolWaiting: number;
    /** Event-loop lag past which every request gets 503 (0 turns the check off). */
    readonly maxEventLoopDelayMs: number;
    /** Bytes of rejected uploads one student may store per day (rejected files cost no quota). */
    readonly rejectedBytesPerDay: number;
    /** Live-update streams one user may hold open on one API process. */
    readonly maxStreamsPerUser: number;
    /** Password hashes run at once (scrypt shares libuv's threads with file I/O). */
    readonly passwordHashConcurrency: number;
  };
  readonly worker: {
    readonly concurrency: number;
    /** File-scoring jobs in flight per scoring thread. */
    readonly jobsPerThread: number;
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
    /** Queues this worker takes: score-cpu (files), score-gpu (models, images), score-program (TA programs). */
    readonly queues: readonly string[];
    /** Model submissions a runner process scores before it is replaced (onnxruntime leaks per session). */
    readonly modelsPerRunner: number;
    /** Resident memory a model may use while it runs, in MiB. */
    readonly modelMemoryMb: number;
    /** Times a submission may stop its worker mid-way (killed, stalled) before it ends FAILED. */
    readonly maxInterruptions: number;
    /** Connections to Postgres this worker process may hold. */
    readonly databasePoolSize: number;
    /** How often the storage sweeper runs. */
    readonly sweepIntervalMs: number;
  };
  readonly storage: {
    /** Days a rejected upload's file is kept (for the student to download) before it is deleted. */
    readonly rejectedRetentionDays: number;
    /** A partial upload (`.part`) older than this is left over from a crash and deleted. */
    readonly partMaxAgeMs: number;
  };
  readonly queue: {
    /** BullMQ key prefix; lets tests and several deployments share one Redis. */
    readonly prefix: string;
    readonly attempts: number;
    readonly backoffMs: number;
  };
  /** The URL people reach the API at (behind a proxy, the proxy's); sign-in redirects are built on it. */
  readonly publicUrl: string | undefined;
  /** OpenID Connect sign-in (a university's or GitHub's accounts); undefined when not configured. */
  readonly oidc:
    | {
        readonly issuer: string;
        readonly clientId: string;
        readonly clientSecret: string;
        /** The sign-in button's words. */
        readonly label: string;
        /** Email domains that may sign in this way (empty: any); the email must still be on a roster. */
        readonly allowedDomains: readonly string[];
      }
    | undefined;
  readonly webhooks: {
    /** Allow webhook URLs that resolve to loopback, private or link-local addresses (development only). */
    readonly allowPrivateNetworks: boolean;
  };
  readonly onnx: {
    /** Execution providers in order of preference; CPU is always the last resort. */
    readonly providers: readonly string[];
  };
  readonly sandbox: {
    /** Absolute host folders scoring programs may read besides /usr (a Python environment in /opt). */
    readonly readOnly: readonly string[];
  };
  readonly launcher: {
    /** `npm start`: the port of its embedded PostgreSQL, and of the Redis it starts when none runs. */
    readonly embeddedPostgresPort: number;
    readonly localRedisPort: number;
    /** Log level of the api and worker it runs (quiet by default on a laptop: the banner matters). */
    readonly serviceLogLevel: LogLevel;
    /** Webhooks to loopback are allowed on a laptop unless WEBHOOK_ALLOW_PRIVATE says otherwise. */
    readonly allowPrivateWebhooks: boolean;
  };
  readonly logLevel: LogLevel;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The queues a worker may take (the job catalog in packages/queue names the same). */
export const KNOWN_QUEUES = ['score-cpu', 'score-gpu', 'score-program', 'webhooks'] as const;

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

function list(env: Env, key: string, fallback: string): string[] {
  return (text(env, key) ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function queues(env: Env): string[] {
  const names = list(env, 'WORKER_QUEUES', 'score-cpu,score-gpu,score-program');
  for (const name of names) {
    if (!(KNOWN_QUEUES as readonly string[]).includes(name)) {
      throw new ConfigError(`WORKER_QUEUES names "${name}"; the queues are ${KNOWN_QUEUES.join(', ')}`);
    }
  }
  return names;
}

function oidc(env: Env): Config['oidc'] {
  const issuer = text(env, 'OIDC_ISSUER');
  if (issuer === undefined) return undefined;
  const clientId = text(env, 'OIDC_CLIENT_ID');
  const clientSecret = text(env, 'OIDC_CLIENT_SECRET');
  if (!clientId || !clientSecret)
    throw new ConfigError('OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too.');
  try {
    new URL(issuer);
  } catch {
    throw new ConfigError(`OIDC_ISSUER must be a URL, got ${JSON.stringify(issuer)}`);
  }
  return {
    issuer,
    clientId,
    clientSecret,
    label: text(env, 'OIDC_LABEL') ?? 'Sign in with your university account',
    allowedDomains: list(env, 'OIDC_ALLOWED_DOMAINS', '').map((domain) => domain.toLowerCase().replace(/^@/, '')),
  };
}

function publicUrl(env: Env): string | undefined {
  const raw = text(env, 'PUBLIC_URL');
  if (raw === undefined) return undefined;
  try {
    return new URL(raw).origin;
  } catch {
    throw new ConfigError(`PUBLIC_URL must be a URL such as https://judge.example.edu, got ${JSON.stringify(raw)}`);
  }
}

function sandboxReadOnly(env: Env): string[] {
  const folders = list(env, 'SANDBOX_READ_ONLY', '');
  for (const folder of folders)
    if (!path.isAbsolute(folder) || folder === '/' || /(^|\/)\.\.(\/|$)/.test(folder))
      throw new ConfigError(`SANDBOX_READ_ONLY takes absolute folders other than /, got ${JSON.stringify(folder)}`);
  return folders;
}

function trustProxy(env: Env): boolean | string[] {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === undefined) return false;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  return list(env, 'TRUST_PROXY', '');
}

/** Parses and validates the environment into a nested, typed, frozen configuration. */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(text(env, 'MLJUDGE_DATA_DIR') ?? path.join(process.cwd(), '.data'));
  const providers = list(env, 'ONNX_PROVIDERS', 'cpu').map((name) => name.toLowerCase());
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
      loginAttemptsPerEmail: integer(env, 'LOGIN_ATTEMPTS_PER_EMAIL', 100, 1),
      signInAttemptsPerClient: integer(env, 'SIGN_IN_ATTEMPTS_PER_CLIENT', 30, 1),
      sessionHours: integer(env, 'SESSION_HOURS', 24 * 14, 1),
      secureCookies: choice(env, 'SECURE_COOKIES', ['auto', 'always', 'never'] as const, 'auto'),
      trustProxy: trustProxy(env),
      webDir: path.resolve(text(env, 'WEB_DIR') ?? path.join(process.cwd(), 'apps/web/dist')),
      cliBundle: path.resolve(text(env, 'CLI_BUNDLE') ?? path.join(process.cwd(), 'apps/cli/dist/mljudge.mjs')),
      databasePoolSize: integer(env, 'API_DATABASE_POOL_SIZE', 10, 1),
      maxConcurrentUploads: integer(env, 'MAX_CONCURRENT_UPLOADS', 64, 1),
      maxPoolWaiting: integer(env, 'MAX_POOL_WAITING', 100, 0),
      maxEventLoopDelayMs: integer(env, 'MAX_EVENT_LOOP_DELAY_MS', 1000, 0),
      rejectedBytesPerDay: integer(env, 'REJECTED_BYTES_PER_DAY', 200 * 1024 * 1024, 1),
      maxStreamsPerUser: integer(env, 'MAX_STREAMS_PER_USER', 8, 1),
      passwordHashConcurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', 1, 1),
    },
    worker: {
      concurrency: integer(env, 'WORKER_CONCURRENCY', Math.max(1, Math.min(4, os.availableParallelism())), 1),
      // A file job spends most of its time on round trips (claim, commit, queue), not in its thread:
      // more jobs than threads keep the threads busy. Past this, jobs wait in Redis, not in memory.
      jobsPerThread: integer(env, 'WORKER_JOBS_PER_THREAD', 4, 1),
      healthPort: integer(env, 'WORKER_HEALTH_PORT', 3001),
      shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000),
      lockMs: integer(env, 'WORKER_LOCK_MS', 8_000, 1000),
      stalledCheckMs: integer(env, 'WORKER_STALLED_CHECK_MS', 3_000, 500),
      scoringTimeoutMs: integer(env, 'SCORING_TIMEOUT_MS', 120_000, 1000),
      recoveryIntervalMs: integer(env, 'RECOVERY_INTERVAL_MS', 30_000, 500),
      queues: queues(env),
      modelsPerRunner: integer(env, 'MODELS_PER_RUNNER', 20, 1),
      modelMemoryMb: integer(env, 'MODEL_MEMORY_MB', 4096, 256),
      maxInterruptions: integer(env, 'MAX_INTERRUPTIONS', 3, 1),
      databasePoolSize: integer(env, 'WORKER_DATABASE_POOL_SIZE', 8, 1),
      sweepIntervalMs: integer(env, 'STORAGE_SWEEP_INTERVAL_MS', 10 * 60_000, 1000),
    },
    storage: {
      rejectedRetentionDays: integer(env, 'REJECTED_RETENTION_DAYS', 3, 0),
      partMaxAgeMs: integer(env, 'PART_MAX_AGE_MS', 6 * 3600_000, 1000),
    },
    queue: {
      prefix: text(env, 'QUEUE_PREFIX') ?? 'mljudge',
      attempts: integer(env, 'QUEUE_ATTEMPTS', 5, 1),
      backoffMs: integer(env, 'QUEUE_BACKOFF_MS', 2000, 1),
    },
    publicUrl: publicUrl(env),
    oidc: oidc(env),
    webhooks: { allowPrivateNetworks: flag(env, 'WEBHOOK_ALLOW_PRIVATE', false) },
    onnx: { providers },
    sandbox: { readOnly: sandboxReadOnly(env) },
    launcher: {
      embeddedPostgresPort: integer(env, 'EMBEDDED_POSTGRES_PORT', 54329, 1),
      localRedisPort: integer(env, 'LOCAL_REDIS_PORT', 6390, 1),
      serviceLogLevel: choice(env, 'LOG_LEVEL', LOG_LEVELS, 'warn'),
      allowPrivateWebhooks: flag(env, 'WEBHOOK_ALLOW_PRIVATE', true),
    },
    logLevel: choice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
  });
}

/** The connection URLs a service process cannot start without; a clear message when one is missing. */
export function serviceUrls(config: Config, process: string): { databaseUrl: string; redisUrl: string } {
  if (!config.databaseUrl || !config.redisUrl) {
    throw new ConfigError(`The ${process} needs DATABASE_URL and REDIS_URL (npm start sets both for a local run).`);
  }
  return { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl };
}
