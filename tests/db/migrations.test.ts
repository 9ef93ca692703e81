import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations, MIGRATIONS_DIR } from '@mljudge/db';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.ts';

const database = useTestDatabase();

describe('applyMigrations', () => {
  it('records each migration in _prisma_migrations as Prisma does and is a no-op the second time', async () => {
    const again = await applyMigrations(database.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toContain('20261127000000_init');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations"');
      const sql = readFileSync(path.join(MIGRATIONS_DIR, '20261127000000_init', 'migration.sql'));
      expect(rows).toEqual([
        expect.objectContaining({ migration_name: '20261127000000_init', checksum: createHash('sha256').update(sql).digest('hex'), applied_steps_count: 1, rolled_back_at: null }),
      ]);
      expect(rows[0].finished_at).toBeInstanceOf(Date);
    } finally {
      await client.end();
    }
  });

  it('lets concurrent appliers (api and worker starting together) serialise on the advisory lock', async () => {
    const results = await Promise.all([applyMigrations(database.url), applyMigrations(database.url), applyMigrations(database.url)]);
    for (const result of results) expect(result.applied).toEqual([]);
  });
});
