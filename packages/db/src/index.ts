export {
  createDatabase,
  isRetryableDatabaseError,
  isUniqueViolation,
  type Database,
  type DbOrTx,
  type DatabaseOptions,
} from './client.ts';
export {
  applyMigrations,
  dropDatabase,
  ensureDatabase,
  MIGRATIONS_DIR,
  MigrationError,
  withDatabaseName,
  type MigrationResult,
} from './migrate.ts';
export * from './accounts.ts';
export * from './leaderboard.ts';
export * from './submissions.ts';
export * from './tasks.ts';
export type {
  Course,
  User,
  Task,
  Submission,
  Score,
  BestScore,
  ApiToken,
  Membership,
  Role,
  SubmissionStatus,
  Split,
  Direction,
  TokenKind,
} from './generated/prisma/client.ts';
export * from './course-rules.ts';
export * from './private-board.ts';
export * from './reports.ts';
export type { TaskOverride, AuditEvent, ScoreHistory, RescoreRun } from './generated/prisma/client.ts';
export * from './webhooks.ts';
export type { Webhook, WebhookDelivery, WebhookScope, DeliveryStatus } from './generated/prisma/client.ts';
