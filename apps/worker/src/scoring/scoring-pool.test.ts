/** The scoring pool's threads: preloading a live task decodes it before its first job. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ScoringPool } from './scoring-pool.ts';
import { SOLUTION_SNAPSHOT_FILE } from './stored-task.ts';

const fixture = fileURLToPath(new URL('../../../../tests/fixtures/bundles/phoneme-mini/', import.meta.url));
const bundle = mkdtempSync(path.join(tmpdir(), 'mljudge-pool-bundle-'));
for (const name of ['task.yaml', 'solution.csv']) copyFileSync(path.join(fixture, name), path.join(bundle, name));
const task = {
  taskKey: 'phoneme-mini:1',
  taskYamlPath: path.join(bundle, 'task.yaml'),
  solutionPath: path.join(bundle, 'solution.csv'),
};
const pool = new ScoringPool(2, 60_000);
afterAll(async () => {
  await pool.close();
  rmSync(bundle, { recursive: true, force: true });
});

describe('ScoringPool.preload', () => {
  it('has the threads decode a task before its first job, and the job scores as ever', async () => {
    // A task that cannot be loaded is only forgotten: the threads live on.
    pool.preload([{ ...task, taskKey: 'gone:1', solutionPath: path.join(bundle, 'missing.csv') }]);
    pool.preload([task]);
    // The first thread to decode it leaves the snapshot: the preload ran, before any job asked.
    await vi.waitFor(() => expect(existsSync(path.join(bundle, SOLUTION_SNAPSHOT_FILE))).toBe(true), {
      timeout: 120_000,
      interval: 20,
    });
    const artifactPath = path.join(bundle, 'upload.csv');
    // The truth itself, as a prediction file: every row right.
    const truth = readFileSync(task.solutionPath, 'utf8').trim().split('\n').slice(1);
    writeFileSync(artifactPath, `Id,Class\n${truth.map((row) => row.split(',').slice(0, 2).join(',')).join('\n')}\n`);
    const outcome = await pool.run({ ...task, artifactPath });
    expect(outcome.kind === 'scored' && outcome.report.public.value).toBe(1);
  });
});
