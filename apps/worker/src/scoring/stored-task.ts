/**
 * Loads a stored task version for scoring through the snapshot of its decoded solution, kept in the
 * bundle's folder beside solution.csv. The first thread anywhere (storage is shared by every worker
 * machine) to load a version parses the CSV and leaves the snapshot; every thread after it, in this
 * process or a fresh one, reads the snapshot instead: a restarted worker's first HW2 job no longer
 * pays the parse. A snapshot that does not match the files is ignored and replaced.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTaskWithSnapshot, type LoadedTask } from '@mljudge/scoring';
import { LocalStorage } from '@mljudge/storage';

export const SOLUTION_SNAPSHOT_FILE = 'solution.snapshot';

/** A snapshot is a cache: one that cannot be read is one to make again. */
async function readSnapshot(snapshotPath: string): Promise<Buffer | null> {
  try {
    return await readFile(snapshotPath);
  } catch {
    return null;
  }
}

/**
 * Writes the snapshot atomically (LocalStorage's private name, then rename: a reader never sees half
 * of one, and a crash between leaves a `.part` file the storage sweeper removes). A store that
 * refuses the write (read-only, full) only costs the next fresh thread a parse.
 */
async function keepSnapshot(snapshotPath: string, snapshot: Buffer): Promise<void> {
  await new LocalStorage(path.dirname(snapshotPath))
    .writeBuffer(path.basename(snapshotPath), snapshot)
    .catch(() => undefined);
}

/** The task of `taskYamlPath` and `solutionPath`, from the snapshot beside them when it fits. */
export async function loadStoredTask(taskYamlPath: string, solutionPath: string): Promise<LoadedTask> {
  const snapshotPath = path.join(path.dirname(solutionPath), SOLUTION_SNAPSHOT_FILE);
  const [taskYaml, solution, snapshot] = await Promise.all([
    readFile(taskYamlPath, 'utf8'),
    readFile(solutionPath),
    readSnapshot(snapshotPath),
  ]);
  const loaded = loadTaskWithSnapshot(taskYaml, solution, snapshot);
  // Awaited, though the score could go ahead: it happens once per task version in the deployment,
  // and a load that has returned has left the folder as it will stay.
  if (loaded.snapshot) await keepSnapshot(snapshotPath, loaded.snapshot);
  return loaded.task;
}
