/** Reads a task bundle directory (task.yaml + solution.csv) from disk. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleError } from '@mljudge/formats';
import { loadTask, SOLUTION_FILE, TASK_FILE, type LoadedTask } from './loaded-task.ts';

async function readBundleFile(directory: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(directory, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BundleError({ code: 'BUNDLE_MISSING_FILE', message: `The task bundle has no ${name}.` });
    throw error;
  }
}

/** Loads and validates the bundle in `directory`. */
export async function loadTaskDirectory(directory: string): Promise<LoadedTask> {
  const [taskYaml, solution] = await Promise.all([
    readBundleFile(directory, TASK_FILE),
    readBundleFile(directory, SOLUTION_FILE),
  ]);
  return loadTask(taskYaml.toString('utf8'), solution);
}
