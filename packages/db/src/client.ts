/**
 * The database handle. This package owns the node-postgres pool and the Prisma client over it (Prisma
 * 7's driver adapter; no engine binary). Everything outside the package gets an opaque `Database` and
 * calls the functions named for what they mean; only this package sees the client.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, Prisma } from './generated/prisma/client.ts';

declare const databaseBrand: unique symbol;

/** An open database: pass it to this package's functions. Close it with `closeDatabase`. */
export interface Database {
  readonly [databaseBrand]: 'Database';
}

/** The Prisma client, or an interactive transaction of it; what this package's queries run on. */
export type DbOrTx = PrismaClient | Prisma.TransactionClient;

export interface DatabaseOptions {
  /** Pool size; Postgres' default of 100 connections is shared by every api and worker process. */
  readonly maxConnections?: number;
  /** How long a query may wait for a pooled connection before it fails (and the API answers 503). */
  readonly connectionWaitMs?: number;
  /** Told about connection errors (a server restart, a dropped socket); they never crash the process. */
  readonly onConnectionError?: (error: Error) => void;
}

interface Handle {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
}

const handles = new WeakMap<Database, Handle>();

/**
 * Creates the pool and the client for `url`. Every pooled connection gets an error listener the
 * moment it is created: a PostgreSQL restart (57P01) or a dropped socket then fails the query that
 * uses it, instead of killing the process with an unhandled 'error' event.
 */
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const onError = options.onConnectionError ?? (() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionWaitMs ?? 10_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { onPoolError: onError, onConnectionError: onError }),
  });
  const database = {} as Database;
  handles.set(database, { prisma, pool });
  return database;
}

/** The Prisma client behind a handle (this package and tests only). */
export function prismaOf(database: Database): PrismaClient {
  const handle = handles.get(database);
  if (!handle) throw new Error('Not a database created by createDatabase, or it was closed.');
  return handle.prisma;
}

/** Closes the client and its pool. */
export async function closeDatabase(database: Database): Promise<void> {
  const handle = handles.get(database);
  if (!handle) return;
  handles.delete(database);
  await handle.prisma.$disconnect();
  await handle.pool.end();
}

/** True when the database answers now (readiness checks). */
export async function pingDatabase(database: Database): Promise<boolean> {
  try {
    await prismaOf(database).$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

/** How busy the pool is: open, idle and waiting connections, for metrics. */
export function poolStats(database: Database): { total: number; idle: number; waiting: number } {
  const handle = handles.get(database);
  if (!handle) return { total: 0, idle: 0, waiting: 0 };
  return { total: handle.pool.totalCount, idle: handle.pool.idleCount, waiting: handle.pool.waitingCount };
}

/** Driver-adapter error kinds (@prisma/driver-adapter-utils' MappedError) that mean "not now". */
const RETRYABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'TooManyConnections',
  'SocketTimeout',
  'TransactionWriteConflict',
]);

/** The driver's own error behind a Prisma error (raw queries and adapter failures carry one). */
function driverCauseOf(meta: unknown): { kind?: unknown; code?: unknown } | undefined {
  const adapterError = (meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  return adapterError?.cause as { kind?: unknown; code?: unknown } | undefined;
}

function isUnavailableCause(cause: { kind?: unknown; code?: unknown } | undefined): boolean {
  if (!cause) return false;
  if (typeof cause.kind === 'string' && RETRYABLE_KINDS.has(cause.kind)) return true;
  return cause.kind === 'postgres' && typeof cause.code === 'string' && RETRYABLE_SQLSTATES.has(cause.code);
}

const RETRYABLE_CODES = new Set(['P2034', 'P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '08000', '08003', '08006']);
const RETRYABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * True for failures that say nothing about the request: serialization failures, deadlocks, a lost or
 * refused connection, no pooled connection in time, a server shutting down. The API answers these
 * with 503 and Retry-After; workers retry the job.
 */
export function isUnavailableError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError)
    return RETRYABLE_CODES.has(error.code) || isUnavailableCause(driverCauseOf(error.meta));
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (RETRYABLE_SQLSTATES.has(code) || RETRYABLE_ERRNO.has(code))) return true;
  // The adapter wraps driver errors; its messages name the cause.
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|terminating connection|ECONNREFUSED|ECONNRESET|Unable to start a transaction/i.test(
      message,
    )
  );
}
