/**
 * The Prisma client over node-postgres (Prisma 7's driver adapter; no engine binary needed).
 * Only this package imports Prisma: everything else receives a `Database` or a `DbOrTx`.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from './generated/prisma/client.ts';

export type { Prisma };
export type Database = PrismaClient;
/** A client or an interactive transaction, so services can run inside a caller's transaction. */
export type DbOrTx = PrismaClient | Prisma.TransactionClient;

export interface DatabaseOptions {
  /** Pool size; Postgres' default of 100 connections is shared by every api and worker process. */
  readonly maxConnections?: number;
}

/** Creates a client for `url`. Call `$disconnect()` when done. */
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const adapter = new PrismaPg({ connectionString: url, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}

const RETRYABLE_CODES = new Set(['P2034', 'P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** True for errors worth retrying: serialization failures, deadlocks, lost or exhausted connections. */
export function isRetryableDatabaseError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return RETRYABLE_CODES.has(error.code);
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === '40001' || code === '40P01' || code === '57P01')
  );
}

/** True when the error is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
