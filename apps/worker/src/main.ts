/** Worker process entry point: boot, then shut down cleanly on SIGTERM/SIGINT. */
import { loadConfig } from '@mljudge/config';
import { applyMigrations, createDatabase } from '@mljudge/db';
import { startWorker } from './worker-process.ts';

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) {
  process.stderr.write('The worker needs DATABASE_URL and REDIS_URL (npm start sets both for a local run).\n');
  process.exit(1);
}
await applyMigrations(config.databaseUrl);
const db = createDatabase(config.databaseUrl);
const worker = await startWorker({ config, db, redisUrl: config.redisUrl });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void worker
      .close()
      .then(() => db.$disconnect())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
