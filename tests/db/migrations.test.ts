import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      const names = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(names.length).toBeGreaterThanOrEqual(2);
      expect(rows).toEqual(
        names.map((name) =>
          expect.objectContaining({
            migration_name: name,
            checksum: createHash('sha256')
              .update(readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql')))
              .digest('hex'),
            applied_steps_count: 1,
            rolled_back_at: null,
            finished_at: expect.any(Date),
          }),
        ),
      );
    } finally {
      await client.end();
    }
  });

  it('lets concurrent appliers (api and worker starting together) serialise on the advisory lock', async () => {
    const results = await Promise.all([
      applyMigrations(database.url),
      applyMigrations(database.url),
      applyMigrations(database.url),
    ]);
    for (const result of results) expect(result.applied).toEqual([]);
  });
});
