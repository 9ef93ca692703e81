import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeSolutionSnapshot } from '@mljudge/formats';
import { loadTaskWithSnapshot, scoreSubmission, SOLUTION_SNAPSHOT_FILE } from '@mljudge/scoring';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStoredTask } from './stored-task.ts';

const TASK = 'slug: t\ntitle: T\nformat: csv\nid_column: Id\ntarget_column: Class\nmetric: accuracy\n';
const SOLUTION = 'Id,Class,Usage\n0,1,Public\n1,2,Private\n2,1,Public\n3,0,Private\n';
const SUBMISSION = Buffer.from('Id,Class\n0,1\n1,1\n2,0\n3,0\n');
const spec = { idColumn: 'Id', targetColumns: ['Class'], targetKind: 'label' } as const;

let directory: string;
const file = (name: string) => path.join(directory, name);

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'stored-task-'));
  writeFileSync(file('task.yaml'), TASK);
  writeFileSync(file('solution.csv'), SOLUTION);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('loadStoredTask', () => {
  it('leaves a snapshot of the solution beside it, and reads it the next time', async () => {
    const first = await loadStoredTask(file('task.yaml'), file('solution.csv'));
    const snapshot = readFileSync(file(SOLUTION_SNAPSHOT_FILE));
    expect(decodeSolutionSnapshot(snapshot, Buffer.from(SOLUTION), spec)).not.toBeNull();
    const written = statSync(file(SOLUTION_SNAPSHOT_FILE)).mtimeMs;

    const second = await loadStoredTask(file('task.yaml'), file('solution.csv'));
    expect(scoreSubmission(second, SUBMISSION)).toEqual(scoreSubmission(first, SUBMISSION));
    // A fitting snapshot is used as it is: nothing is written again (no partial file, no new one).
    expect(readdirSync(directory).sort()).toEqual(['solution.csv', SOLUTION_SNAPSHOT_FILE, 'task.yaml']);
    expect(statSync(file(SOLUTION_SNAPSHOT_FILE)).mtimeMs).toBe(written);
  });

  it('scores by the solution, not by a snapshot of another one, and replaces that snapshot', async () => {
    const other = 'Id,Class,Usage\n0,0,Public\n1,0,Private\n2,0,Public\n3,0,Private\n';
    const stale = loadTaskWithSnapshot(TASK, Buffer.from(other), null).snapshot!;
    writeFileSync(file(SOLUTION_SNAPSHOT_FILE), stale);

    const task = await loadStoredTask(file('task.yaml'), file('solution.csv'));
    expect(scoreSubmission(task, SUBMISSION).public.value).toBe(0.5);
    expect(
      decodeSolutionSnapshot(readFileSync(file(SOLUTION_SNAPSHOT_FILE)), Buffer.from(SOLUTION), spec),
    ).not.toBeNull();
  });

  it('still loads the task where the snapshot cannot be written', async () => {
    // A folder in the snapshot's place: the rename fails, the partial file is removed, the task loads.
    writeFileSync(file('solution.csv'), SOLUTION);
    mkdirSync(file(SOLUTION_SNAPSHOT_FILE));
    writeFileSync(path.join(file(SOLUTION_SNAPSHOT_FILE), 'occupied'), '');
    const task = await loadStoredTask(file('task.yaml'), file('solution.csv'));
    expect(scoreSubmission(task, SUBMISSION).private!.value).toBe(0.5);
    expect(readdirSync(directory).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(readdirSync(file(SOLUTION_SNAPSHOT_FILE))).toEqual(['occupied']);
  });
});
