/**
 * Worker process entry point: boot, then shut down cleanly on SIGTERM/SIGINT. Logs are JSON lines
 * through pino at LOG_LEVEL; a failure to start is one JSON line and exit status 1.
 */
import { loadConfig, serviceUrls } from '@mljudge/config';
import { applyMigrations, closeDatabase, createDatabase } from '@mljudge/db';
import pino from 'pino';
import { startWorker } from './worker-process.ts';

const config = loadConfig();
const log = pino({ level: config.logLevel, base: { process: 'worker' } });

try {
  const { databaseUrl, redisUrl } = serviceUrls(config, 'worker');
  await applyMigrations(databaseUrl);
  let lastDatabaseError = 0;
  const db = createDatabase(databaseUrl, {
    maxConnections: config.worker.databasePoolSize,
    onConnectionError: (error) => {
      if (Date.now() - lastDatabaseError < 10_000) return;
      lastDatabaseError = Date.now();
      log.warn({ err: error }, 'database connection error; retrying');
    },
  });
  const worker = await startWorker({ config, db, redisUrl, log });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void worker
        .close()
        .then(() => closeDatabase(db))
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
} catch (error) {
  log.fatal({ err: error }, 'worker failed to start');
  process.exit(1);
}
