/** A private, migrated database for one test file, cloned from the run's template. */
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, ensureDatabase, withDatabaseName, type Database } from '@mljudge/db';
import { afterAll, beforeAll, inject } from 'vitest';
import { TEST_POSTGRES_ADMIN_URL } from './environment.ts';

export interface TestDatabase {
  readonly url: string;
  readonly db: Database;
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
    await holder.db?.$disconnect();
    await dropDatabase(TEST_POSTGRES_ADMIN_URL, name);
  });
  return {
    get url() {
      if (!holder.url) throw new Error('test database not ready: use it inside a test or hook');
      return holder.url;
    },
    get db() {
      if (!holder.db) throw new Error('test database not ready: use it inside a test or hook');
      return holder.db;
    },
  };
}
