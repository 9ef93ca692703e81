/** The scoring pool's threads: a live task, or one a job has just loaded, is decoded in every thread. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SOLUTION_SNAPSHOT_FILE } from '@mljudge/scoring';
import { ScoringPool } from './scoring-pool.ts';

const fixture = fileURLToPath(new URL('../../../../tests/fixtures/bundles/phoneme-mini/', import.meta.url));
const copies: string[] = [];
function bundleCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mljudge-pool-bundle-'));
  copies.push(dir);
  for (const name of ['task.yaml', 'solution.csv']) copyFileSync(path.join(fixture, name), path.join(dir, name));
  return dir;
}
const bundle = bundleCopy();
const task = {
  taskKey: 'phoneme-mini:1',
  taskYamlPath: path.join(bundle, 'task.yaml'),
  solutionPath: path.join(bundle, 'solution.csv'),
};
const failures: Array<[taskKey: string, message: string]> = [];
const pool = new ScoringPool(2, 60_000, (taskKey, message) => failures.push([taskKey, message]));
afterAll(async () => {
  await pool.close();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** The truth itself, as a prediction file: every row right. */
function perfectUpload(dir: string): string {
  const artifactPath = path.join(dir, 'upload.csv');
  const truth = readFileSync(path.join(dir, 'solution.csv'), 'utf8').trim().split('\n').slice(1);
  writeFileSync(artifactPath, `Id,Class\n${truth.map((row) => row.split(',').slice(0, 2).join(',')).join('\n')}\n`);
  return artifactPath;
}

describe('ScoringPool.preload', () => {
  it('has the threads decode a task before its first job, and the job scores as ever', async () => {
    // A task that cannot be loaded is reported and forgotten: the threads live on.
    const missing = { ...task, taskKey: 'gone:1', solutionPath: path.join(bundle, 'missing.csv') };
    await pool.preload([missing]);
    // One report per thread, naming the file.
    expect(failures.filter(([taskKey]) => taskKey === 'gone:1')).toHaveLength(2);
    expect(failures[0]![1]).toContain('missing.csv');
    await pool.preload([task]);
    // Every thread has answered: the first to decode it left the snapshot, before any job asked.
    expect(existsSync(path.join(bundle, SOLUTION_SNAPSHOT_FILE))).toBe(true);
    const outcome = await pool.run({ ...task, artifactPath: perfectUpload(bundle) });
    expect(outcome.kind === 'scored' && outcome.report.public.value).toBe(1);
  });

  it('has every thread decode a task that a job has just loaded', async () => {
    const fresh = bundleCopy();
    const second = {
      taskKey: 'phoneme-mini:2',
      taskYamlPath: path.join(fresh, 'task.yaml'),
      solutionPath: path.join(fresh, 'solution.csv'),
    };
    const artifactPath = perfectUpload(fresh);
    // One thread loads it for the first job, then the others decode it in the background.
    await pool.run({ ...second, artifactPath });
    await pool.preloadsSettled();
    // With the hidden files gone, only threads that hold the task decoded can score it: two jobs at
    // once land on both threads, and both score.
    for (const name of ['task.yaml', 'solution.csv', SOLUTION_SNAPSHOT_FILE]) rmSync(path.join(fresh, name));
    const outcomes = await Promise.all([pool.run({ ...second, artifactPath }), pool.run({ ...second, artifactPath })]);
    expect(outcomes.map((outcome) => outcome.kind === 'scored' && outcome.report.public.value)).toEqual([1, 1]);
  });
});
