/**
 * Entry of the short-lived thread that checks a staged task bundle off the API's event loop: it
 * unpacks an uploaded archive into the staging folder (streaming, bounded), then validates the bundle
 * with the scoring package's own check (schema, every solution row, the metric on each split, the
 * layout of inputs.npy). It posts the summary, or the TA's problem.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { BundleError } from '@mljudge/formats';
import { checkBundleFiles, taskDefinitionFromConfig, type TaskDefinition } from '@mljudge/scoring';
import { ArchiveError, unpackTarGz } from '@mljudge/storage';
import {
  BUNDLE_FILES,
  DATA_FILE_NAME,
  DATA_FOLDER,
  EVALUATION_FOLDER,
  FILE_FOLDERS,
  PROGRAM_FOLDER,
  type BundleCheckRequest,
  type BundleCheckResult,
} from './protocol.ts';
import { SAMPLE_NAMES, writeSampleSubmission } from './sample-submission.ts';

async function unpackArchive(archivePath: string, directory: string, limits: BundleCheckRequest['limits']) {
  const taken = new Set<string>();
  await unpackTarGz(
    createReadStream(archivePath),
    (name) => {
      // Bundle files are matched by their base name wherever the TA's tar put them; public files
      // are those in a folder named data.
      const parts = name.split('/');
      const base = parts.pop()!;
      const folder = FILE_FOLDERS.find((candidate) => parts.at(-1) === candidate && DATA_FILE_NAME.test(base));
      if (!folder && !(BUNDLE_FILES as readonly string[]).includes(base)) return null;
      const file = folder ? `${folder}/${base}` : base;
      if (taken.has(file)) throw new ArchiveError(`The archive holds ${file} twice.`);
      taken.add(file);
      if (folder) mkdirSync(path.join(directory, folder), { recursive: true, mode: 0o700 });
      return createWriteStream(path.join(directory, file), { flags: 'wx', mode: 0o600 });
    },
    limits,
  );
  return taken;
}

/** Why the public files present differ from task.yaml's list, or null when they match. */
function dataMismatch(definition: TaskDefinition, present: ReadonlySet<string>): string | null {
  const given = [...present].filter((file) => file.startsWith(`${DATA_FOLDER}/`)).map((file) => file.slice(5));
  const missing = definition.dataFiles.filter((name) => !given.includes(name));
  const undeclared = given.filter((name) => !definition.dataFiles.includes(name));
  if (missing.length > 0)
    return `task.yaml lists ${missing.join(', ')} under data, but the bundle has no data/${missing[0]}.`;
  if (undeclared.length > 0)
    return `The bundle holds data/${undeclared[0]}, which task.yaml does not list under data: list it to publish it, or leave it out.`;
  return null;
}

function ensureDataFolder(directory: string): string {
  const folder = path.join(directory, DATA_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

async function check(request: BundleCheckRequest): Promise<BundleCheckResult> {
  try {
    const present = new Set(request.files);
    if (request.archive)
      for (const file of await unpackArchive(request.archive, request.directory, request.limits)) present.add(file);
    const at = (name: string) => (present.has(name) ? path.join(request.directory, name) : null);
    const taskYamlPath = at('task.yaml');
    const solutionPath = at('solution.csv');
    const hasProgram = [...present].some((file) => file.startsWith(`${PROGRAM_FOLDER}/`));
    const hasEvaluation = [...present].some((file) => file.startsWith(`${EVALUATION_FOLDER}/`));
    if (!taskYamlPath || (!solutionPath && !hasProgram && !hasEvaluation)) {
      return {
        problem: {
          code: 'BUNDLE_INCOMPLETE',
          message: `A bundle needs task.yaml and solution.csv (inputs.npy too for onnx tasks; a program/ folder instead of solution.csv for program tasks, an evaluation/ folder for images tasks); got ${[...present].join(', ') || 'no files'}.`,
        },
      };
    }
    const summary = await checkBundleFiles({
      taskYamlPath,
      solutionPath,
      inputsPath: at('inputs.npy'),
      programDir: hasProgram ? path.join(request.directory, PROGRAM_FOLDER) : null,
      programReadOnly: request.programReadOnly,
      evaluationDir: hasEvaluation ? path.join(request.directory, EVALUATION_FOLDER) : null,
    });
    for (const file of summary.generatedFiles ?? []) present.add(file);
    const definition = taskDefinitionFromConfig(summary.document);
    const mismatch = dataMismatch(definition, present);
    if (mismatch) return { problem: { code: 'BUNDLE_DATA_MISMATCH', message: mismatch } };
    if (hasProgram && definition.format !== 'program')
      return {
        problem: { code: 'BUNDLE_INCOMPLETE', message: 'Only program tasks take a program/ folder.' },
      };
    if (hasEvaluation && definition.format !== 'images')
      return {
        problem: { code: 'BUNDLE_INCOMPLETE', message: 'Only images tasks take an evaluation/ folder.' },
      };
    const sample =
      !solutionPath || definition.dataFiles.some((name) => Object.values(SAMPLE_NAMES).includes(name as never))
        ? null
        : await writeSampleSubmission(definition, solutionPath, ensureDataFolder(request.directory));
    if (sample) present.add(`${DATA_FOLDER}/${sample}`);
    return { ok: { ...summary, files: [...present] } };
  } catch (error) {
    if (error instanceof BundleError) return { problem: error.detail };
    if (error instanceof ArchiveError) return { problem: { code: 'BUNDLE_ARCHIVE_INVALID', message: error.message } };
    return { crash: (error as Error).stack ?? String(error) };
  }
}

void check(workerData as BundleCheckRequest).then((result) => parentPort!.postMessage(result));
