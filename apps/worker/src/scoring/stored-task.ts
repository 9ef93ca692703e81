/**
 * Loads a stored task version for scoring through the snapshot of its decoded solution, kept in the
 * bundle's folder beside solution.csv. The API's bundle check leaves it there; a version stored
 * before that, or whose snapshot is missing or does not match the files (another version of the
 * decoder), is parsed by the first thread anywhere to load it (storage is shared by every worker
 * machine), which leaves a new snapshot for every thread after it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTaskWithSnapshot, SOLUTION_SNAPSHOT_FILE, type LoadedTask } from '@mljudge/scoring';
import { LocalStorage } from '@mljudge/storage';

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
