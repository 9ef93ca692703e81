/**
 * Checks a staged task bundle on a short-lived worker thread with its own memory limit: a 650k-row
 * solution.csv takes a fraction of a second to validate and a 300 MB one much more, time and memory
 * the API's event loop and heap must not spend while other requests wait.
 */
import { BundleError } from '@mljudge/formats';
import { siblingEntry, startThread } from '@mljudge/runtime';
import type { BundleCheckRequest, BundleCheckResult, CheckedBundle } from './protocol.ts';

const ENTRY = siblingEntry('bundle-thread', import.meta.url);
/** Heap of the checking thread; solution tables are typed arrays, mostly outside it. */
const THREAD_HEAP_MB = 1024;

/** Resolves with the bundle's facts, or rejects with BundleError describing what is wrong. */
export function checkBundle(request: BundleCheckRequest): Promise<CheckedBundle> {
  return new Promise((resolve, reject) => {
    const worker = startThread(ENTRY, {
      workerData: request,
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
    });
    worker.once('message', (result: BundleCheckResult) => {
      void worker.terminate();
      if ('ok' in result) resolve(result.ok);
      else if ('problem' in result) reject(new BundleError(result.problem));
      else reject(new Error(`bundle check crashed: ${result.crash}`));
    });
    worker.once('error', (error) => {
      reject(
        /heap|memory/i.test(error.message)
          ? new BundleError({
              code: 'SOLUTION_INVALID',
              message: `The bundle is too large to check within ${THREAD_HEAP_MB} MB.`,
            })
          : error,
      );
    });
  });
}
