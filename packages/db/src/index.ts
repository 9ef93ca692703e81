/**
 * The database: an opaque handle and functions named for what they mean. Only this package talks to
 * Prisma; the generated model types are re-exported for reading rows.
 */
export {
  closeDatabase,
  createDatabase,
  isUnavailableError,
  pingDatabase,
  poolStats,
  type Database,
  type DatabaseOptions,
} from './client.ts';
export { applyMigrations, dropDatabase, ensureDatabase, MIGRATIONS_DIR, withDatabaseName } from './migrate.ts';
export * from './accounts.ts';
export * from './administration.ts';
export * from './artifacts.ts';
export * from './courses.ts';
export * from './identity.ts';
export * from './leaderboard.ts';
export * from './overrides.ts';
export * from './passwords.ts';
export * from './private-board.ts';
export * from './reports.ts';
export * from './rescoring.ts';
export * from './selection.ts';
export * from './submissions.ts';
export * from './tasks.ts';
export * from './webhooks.ts';
export type {
  Role,
  Score,
  ScoreHistory,
  Split,
  Submission,
  SubmissionStatus,
  Task,
  TokenKind,
  WebhookScope,
} from './generated/prisma/client.ts';
