/**
 * Entry of the short-lived thread that checks a staged task bundle off the API's event loop: it
 * unpacks an uploaded archive into the staging folder (streaming, bounded), then validates the bundle
 * with the scoring package's own check (schema, every solution row, the metric on each split, the
 * layout of inputs.npy). It posts the summary, or the TA's problem.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { BundleError } from '@mljudge/formats';
import { checkBundleFiles } from '@mljudge/scoring';
import { ArchiveError, unpackTarGz } from '@mljudge/storage';
import { BUNDLE_FILES, type BundleCheckRequest, type BundleCheckResult } from './protocol.ts';

async function unpackArchive(archivePath: string, directory: string, limits: BundleCheckRequest['limits']) {
  const taken = new Set<string>();
  await unpackTarGz(
    createReadStream(archivePath),
    (name) => {
      // Bundle files are matched by their base name wherever the TA's tar put them.
      const file = name.split('/').pop()!;
      if (!(BUNDLE_FILES as readonly string[]).includes(file)) return null;
      if (taken.has(file)) throw new ArchiveError(`The archive holds ${file} twice.`);
      taken.add(file);
      return createWriteStream(path.join(directory, file), { flags: 'wx', mode: 0o600 });
    },
    limits,
  );
  return taken;
}

async function check(request: BundleCheckRequest): Promise<BundleCheckResult> {
  try {
    const present = new Set(request.files);
    if (request.archive)
      for (const file of await unpackArchive(request.archive, request.directory, request.limits)) present.add(file);
    const at = (name: string) => (present.has(name) ? path.join(request.directory, name) : null);
    const taskYamlPath = at('task.yaml');
    const solutionPath = at('solution.csv');
    if (!taskYamlPath || !solutionPath) {
      return {
        problem: {
          code: 'BUNDLE_INCOMPLETE',
          message: `A bundle needs task.yaml and solution.csv (and inputs.npy for onnx tasks); got ${[...present].join(', ') || 'no files'}.`,
        },
      };
    }
    const summary = await checkBundleFiles({ taskYamlPath, solutionPath, inputsPath: at('inputs.npy') });
    return { ok: { ...summary, files: [...present] } };
  } catch (error) {
    if (error instanceof BundleError) return { problem: error.detail };
    if (error instanceof ArchiveError) return { problem: { code: 'BUNDLE_ARCHIVE_INVALID', message: error.message } };
    return { crash: (error as Error).stack ?? String(error) };
  }
}

void check(workerData as BundleCheckRequest).then((result) => parentPort!.postMessage(result));
