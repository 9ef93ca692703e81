/** A private, migrated database for one test file, cloned from the run's template. */
import { randomBytes } from 'node:crypto';
import {
  closeDatabase,
  createDatabase,
  dropDatabase,
  ensureDatabase,
  withDatabaseName,
  type Database,
} from '@mljudge/db';
import { prismaOf } from '@mljudge/db/testing';
import { afterAll, beforeAll, inject } from 'vitest';
import { TEST_POSTGRES_ADMIN_URL } from './environment.ts';

export interface TestDatabase {
  readonly url: string;
  readonly db: Database;
  /** The Prisma client behind `db`, for tests that seed or check rows directly. */
  readonly prisma: ReturnType<typeof prismaOf>;
}

/** Registers beforeAll/afterAll hooks; read the returned object's fields inside tests. */
export function useTestDatabase(): TestDatabase {
  const holder: { url?: string; db?: Database } = {};
  const name = `mljudge_test_${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    await ensureDatabase(TEST_POSTGRES_ADMIN_URL, name, inject('templateDatabase'));
    holder.url = withDatabaseName(TEST_POSTGRES_ADMIN_URL, name);
    holder.db = createDatabase(holder.url, { maxConnections: 20 });
  });
  afterAll(async () => {
    if (holder.db) await closeDatabase(holder.db);
    await dropDatabase(TEST_POSTGRES_ADMIN_URL, name);
  });
  const ready = () => {
    if (!holder.db || !holder.url) throw new Error('test database not ready: use it inside a test or hook');
    return { db: holder.db, url: holder.url };
  };
  return {
    get url() {
      return ready().url;
    },
    get db() {
      return ready().db;
    },
    get prisma() {
      return prismaOf(ready().db);
    },
  };
}
