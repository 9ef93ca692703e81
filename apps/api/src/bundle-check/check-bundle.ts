/**
 * Checks a task bundle on a short-lived worker thread: a 650k-row solution.csv takes a fraction of a
 * second to validate, which the API's event loop must not spend while other requests wait.
 */
import { Worker } from 'node:worker_threads';
import { BundleError } from '@mljudge/formats';
import type { CheckedBundle, CheckResult } from './protocol.ts';

const ENTRY = new URL('./thread-entry.mjs', import.meta.url);

/** The bundle's files on disk (staged uploads). */
export interface BundlePaths {
  readonly taskYamlPath: string;
  readonly solutionPath: string;
  readonly inputsPath: string | null;
}

/** Resolves with the bundle's facts, or rejects with BundleError describing what is wrong. */
export function checkBundle(paths: BundlePaths): Promise<CheckedBundle> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: paths });
    worker.once('message', (result: CheckResult) => {
      void worker.terminate();
      if ('ok' in result) resolve(result.ok);
      else if ('problem' in result) reject(new BundleError(result.problem));
      else reject(new Error(`bundle check crashed: ${result.crash}`));
    });
    worker.once('error', reject);
  });
}

export type { CheckedBundle };
