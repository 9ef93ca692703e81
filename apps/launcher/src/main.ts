/**
 * `npm start`: the whole service on one machine. Uses DATABASE_URL and REDIS_URL when given; otherwise
 * an embedded PostgreSQL under the data directory and a local Redis. Migrates, seeds the demo course,
 * runs the api and a worker, and prints how to submit.
 */
import { loadConfig } from '@mljudge/config';
import { applyMigrations, closeDatabase, createDatabase } from '@mljudge/db';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { seedDemoPeople, uploadDemoTasks } from './demo-course.ts';
import { startEmbeddedPostgres, type RunningDatabase } from './embedded-database.ts';
import { findOrStartRedis, RedisUnavailableError, type RunningRedis } from './local-redis.ts';
import { serviceEntry, startChild, waitForHealthy, type ChildService } from './services.ts';

const log = (line: string) => process.stdout.write(`[mljudge] ${line}\n`);
const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });

const cleanups: Array<() => Promise<void>> = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const embedded: RunningDatabase = await startEmbeddedPostgres(
      config.dataDir,
      config.launcher.embeddedPostgresPort,
      log,
    );
    cleanups.push(() => embedded.stop());
    databaseUrl = embedded.url;
    log(
      `embedded PostgreSQL at 127.0.0.1:${new URL(databaseUrl).port} (data in ${path.join(config.dataDir, 'postgres')})`,
    );
  }
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    const redis: RunningRedis = await findOrStartRedis(config.launcher.localRedisPort, log);
    cleanups.push(() => redis.stop());
    redisUrl = redis.url;
  }

  const migrations = await applyMigrations(databaseUrl);
  if (migrations.applied.length > 0) log(`applied migrations: ${migrations.applied.join(', ')}`);
  const db = createDatabase(databaseUrl, { maxConnections: 2 });
  const people = await seedDemoPeople(db, config.dataDir);
  await closeDatabase(db);

  // Request logs at info level drown the banner on a laptop; LOG_LEVEL=info brings them back.
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    STORAGE_DIR: config.storageDir,
    LOG_LEVEL: config.launcher.serviceLogLevel,
    WEBHOOK_ALLOW_PRIVATE: String(config.launcher.allowPrivateWebhooks),
  };
  const onChildExit = (name: string) => (code: number | null) => {
    if (!shuttingDown) {
      log(`${name} exited (${code}); stopping`);
      void shutdown(1);
    }
  };
  const children: ChildService[] = [
    startChild('api', serviceEntry('api'), env, onChildExit('api')),
    startChild('worker', serviceEntry('worker'), env, onChildExit('worker')),
  ];
  cleanups.push(async () => {
    await Promise.all(children.map((child) => child.stop()));
  });
  const apiUrl = `http://${config.api.host}:${config.api.port}`;
  await waitForHealthy(`${apiUrl}/healthz`, 60_000);
  await waitForHealthy(`http://${config.api.host}:${config.worker.healthPort}/healthz`, 60_000);
  const bundles = await uploadDemoTasks(apiUrl, people.taToken, config.dataDir, log);
  const hw1 = bundles.find((bundle) => bundle.slug === 'hw1-covid')!;

  process.stdout.write(`
  mljudge is running at ${apiUrl}  (API docs: ${apiUrl}/docs)
  Web app: open ${apiUrl}/ and sign in as ta@demo.mljudge or student1..3@demo.mljudge,
           password ${people.password}

  Submit as student1 and wait for the score:
    curl -H "Authorization: Bearer ${people.studentToken}" \\
         -F file=@${hw1.samplePath} "${apiUrl}/v1/tasks/hw1-covid/submissions?wait=30"
  Leaderboard:
    curl -H "Authorization: Bearer ${people.studentToken}" ${apiUrl}/v1/tasks/hw1-covid/leaderboard

  Press Ctrl+C to stop.
`);
} catch (error) {
  if (error instanceof RedisUnavailableError) log(error.message);
  else log(`could not start: ${(error as Error).stack ?? String(error)}`);
  await shutdown(1);
}
