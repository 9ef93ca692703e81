/**
 * Reads a task bundle directory from disk (what a TA pushes, what `mljudge score --task` reads), in a
 * fixed order so a bundle missing several files is always described the same way.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleError, SubmissionRejection } from '@mljudge/formats';
import {
  checkModelContract,
  inspectNpy,
  npyHeaderBytes,
  NpyError,
  NPY_PREFIX_BYTES,
  type NpyLayout,
} from '@mljudge/onnx-runner';
import { probeSandbox } from '@mljudge/sandbox';
import {
  INPUTS_FILE,
  loadTask,
  loadTaskWithSnapshot,
  SOLUTION_FILE,
  SOLUTION_SNAPSHOT_FILE,
  TASK_FILE,
  type LoadedTask,
} from './loaded-task.ts';
import { EvaluatorFailure, evaluatorContract } from './evaluator-run.ts';
import type { EvaluatorRules } from './image-rules.ts';
import { EVALUATION_FOLDER, loadImageTask, referenceStatisticsFiles } from './image-task.ts';
import { ProgramFailure, scoreWithProgram } from './score-program.ts';
import { scoreImages } from './score-images.ts';
import { parseTaskYaml, readTaskYamlDocument, type ModelRules, type TaskDefinition } from './task-definition.ts';

/** A program task's files live in this folder of its bundle. */
export const PROGRAM_FOLDER = 'program';

async function readBundleFile(directory: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(directory, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BundleError({
        code: 'BUNDLE_MISSING_FILE',
        message: `The task bundle in ${directory} has no ${name}.`,
      });
    throw error;
  }
}

/** Loads and validates the bundle in `directory`: task.yaml first, then solution.csv. */
export async function loadTaskDirectory(directory: string): Promise<LoadedTask> {
  const taskYaml = await readBundleFile(directory, TASK_FILE);
  const solution = await readBundleFile(directory, SOLUTION_FILE);
  return loadTask(taskYaml.toString('utf8'), solution);
}

/** Reads and validates a bundle directory's task.yaml alone (to learn its format before anything else). */
export async function loadTaskDefinition(directory: string): Promise<TaskDefinition> {
  return parseTaskYaml((await readBundleFile(directory, TASK_FILE)).toString('utf8'));
}

/** The files of a bundle on disk; `inputsPath` only for model tasks, `programDir` for program tasks. */
export interface BundlePaths {
  readonly taskYamlPath: string;
  /** Required but for program tasks (whose program holds its own hidden data). */
  readonly solutionPath: string | null;
  readonly inputsPath: string | null;
  readonly programDir?: string | null;
  /** Host folders a scoring program may read besides /usr. */
  readonly programReadOnly?: readonly string[];
  /** Images tasks: the folder of evaluator models and hidden images. */
  readonly evaluationDir?: string | null;
}

/** What a checked bundle is: its task.yaml document (stored with the task) and its split sizes. */
export interface BundleSummary {
  readonly document: unknown;
  readonly publicRows: number;
  readonly privateRows: number;
  /** Program tasks: what the program made of the TA's sample (shown to the TA who uploads). */
  readonly programSample?: ProgramSampleCheck;
  /** Images tasks: the scores of the originals or the real images, uploaded as a student would. */
  readonly evaluationSample?: Readonly<Record<string, number>> | null;
  /**
   * Files the check wrote into the bundle, by their path in it: the solution's snapshot, or the FID
   * statistics of a reference archive (`evaluation/<name>`).
   */
  readonly generatedFiles?: readonly string[];
}

export type ProgramSampleCheck =
  | {
      readonly outcome: 'scored';
      readonly public: Readonly<Record<string, number>>;
      readonly private: Readonly<Record<string, number>> | null;
    }
  | { readonly outcome: 'rejected'; readonly code: string; readonly message: string };

/**
 * Checks a whole bundle as an upload or a TA's offline check does: task.yaml, every solution row,
 * the metric on each split, and for model tasks the layout of inputs.npy (read from its header and
 * size, never its hundreds of megabytes). Throws BundleError naming what is wrong.
 */
export async function checkBundleFiles(paths: BundlePaths): Promise<BundleSummary> {
  const taskYaml = (await readFile(paths.taskYamlPath)).toString('utf8');
  const definition = parseTaskYaml(taskYaml);
  if (definition.format === 'program') {
    const programSample = await checkProgram(definition, paths);
    return { document: readTaskYamlDocument(taskYaml), publicRows: 0, privateRows: 0, programSample };
  }
  if (definition.format === 'images') {
    const checked = await checkImages(definition, taskYaml, paths);
    return { document: readTaskYamlDocument(taskYaml), publicRows: checked.rows, privateRows: 0, ...checked.summary };
  }
  if (!paths.solutionPath)
    throw new BundleError({
      code: 'BUNDLE_INCOMPLETE',
      message: `A ${definition.format} task needs ${SOLUTION_FILE}.`,
    });
  const { task, snapshot } = loadTaskWithSnapshot(taskYaml, await readFile(paths.solutionPath), null);
  if (task.definition.model) checkInputsLayout(paths.inputsPath, task.definition.model, task.solution.rowCount);
  // The parse this check has just made, kept for the workers: no scoring thread parses the CSV again.
  await writeFile(path.join(path.dirname(paths.solutionPath), SOLUTION_SNAPSHOT_FILE), snapshot!);
  return {
    document: readTaskYamlDocument(taskYaml),
    publicRows: task.publicRows.length,
    privateRows: task.privateRows.length,
    generatedFiles: [SOLUTION_SNAPSHOT_FILE],
  };
}

/** ONNX tasks: inputs.npy must hold one row of the declared dtype and shape per solution row. */
function checkInputsLayout(inputsPath: string | null, model: ModelRules, rows: number): void {
  if (!inputsPath)
    throw new BundleError({
      code: 'BUNDLE_INCOMPLETE',
      message: `An onnx task needs ${INPUTS_FILE} with the hidden model inputs.`,
    });
  let layout: NpyLayout;
  try {
    layout = npyLayoutOf(inputsPath);
  } catch (error) {
    if (error instanceof NpyError)
      throw new BundleError({ code: 'BUNDLE_INPUTS_INVALID', message: `${INPUTS_FILE}: ${error.message}` });
    throw error;
  }
  const expected = [rows, ...model.inputShape];
  if (layout.dtype !== model.inputType || layout.shape.join(',') !== expected.join(',')) {
    throw new BundleError({
      code: 'BUNDLE_INPUTS_INVALID',
      message: `${INPUTS_FILE} is ${layout.dtype} [${layout.shape.join(', ')}]; task.yaml and solution.csv need ${model.inputType} [${expected.join(', ')}].`,
    });
  }
}

/** The header of a .npy file on disk, checked against its size; the data is not read. */
function npyLayoutOf(file: string): NpyLayout {
  const descriptor = openSync(file, 'r');
  try {
    const size = fstatSync(descriptor).size;
    const prefix = Buffer.alloc(Math.min(NPY_PREFIX_BYTES, size));
    readSync(descriptor, prefix, 0, prefix.length, 0);
    const head = Buffer.alloc(Math.min(npyHeaderBytes(prefix), size));
    readSync(descriptor, head, 0, head.length, 0);
    return inspectNpy(head, size);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Program tasks: the program runs on the TA's sample submission (program.sample) in the sandbox, as
 * it will on every student's file. A bundle whose program crashes, hangs or answers off-contract is
 * refused with the program's stderr; scores and a rejection both keep the contract, and the TA is
 * shown which (only a replay may know whether a sample is valid: HW12). A server that cannot
 * sandbox refuses program bundles outright.
 */
async function checkProgram(definition: TaskDefinition, paths: BundlePaths): Promise<ProgramSampleCheck> {
  const program = definition.program!;
  if (!paths.programDir)
    throw new BundleError({
      code: 'BUNDLE_INCOMPLETE',
      message: `A program task needs its files in a ${PROGRAM_FOLDER}/ folder (parts named ${PROGRAM_FOLDER}, or ${PROGRAM_FOLDER}/ in the archive).`,
    });
  const samplePath = path.join(paths.programDir, program.sample);
  if (!existsSync(samplePath))
    throw new BundleError({
      code: 'BUNDLE_INCOMPLETE',
      message: `task.yaml names ${PROGRAM_FOLDER}/${program.sample} as the sample submission, but the bundle has no such file.`,
    });
  const sandbox = await probeSandbox();
  if (!sandbox.ok)
    throw new BundleError({
      code: 'SANDBOX_UNAVAILABLE',
      message: `This server cannot run scoring programs safely, so it cannot check this bundle: ${sandbox.reason}.`,
    });
  try {
    const report = await scoreWithProgram(definition, {
      programDir: paths.programDir,
      submissionPath: samplePath,
      ...(paths.programReadOnly ? { extraReadOnly: paths.programReadOnly } : {}),
    });
    return { outcome: 'scored', public: report.public.metrics, private: report.private?.metrics ?? null };
  } catch (error) {
    if (error instanceof ProgramFailure) {
      const stderr = error.diagnostics.stderr.trim();
      throw new BundleError({
        code: 'BUNDLE_PROGRAM_FAILED',
        message: `The scoring program failed on the sample ${program.sample}: ${error.diagnostics.reason}.${stderr ? ` Its stderr ends with: ${stderr.slice(-2000)}` : ''}`,
      });
    }
    if (error instanceof SubmissionRejection)
      return { outcome: 'rejected', code: error.detail.code, message: error.detail.message };
    throw error;
  }
}

/** What an evaluator must output: logits over the labels, one detection score, or features of any width. */
function evaluatorWidth(evaluator: EvaluatorRules, definition: TaskDefinition): number | null {
  if (evaluator.output === 'logits') return definition.labels!.length;
  return evaluator.output === 'detection' ? 1 : null;
}

/**
 * Images tasks: every evaluator passes the checks a student's model does (standard operators, no
 * external data, input and output shapes); the originals decode under the task's own rules; the
 * statistics of a reference archive are computed once, here, and kept with the bundle; and the
 * originals (or the real images, when named like an upload) are scored as an upload, so that an
 * evaluator that cannot run is the TA's error now rather than every student's later.
 */
async function checkImages(
  definition: TaskDefinition,
  taskYaml: string,
  paths: BundlePaths,
): Promise<{ rows: number; summary: Pick<BundleSummary, 'evaluationSample' | 'generatedFiles'> }> {
  const folder = paths.evaluationDir;
  if (!folder)
    throw new BundleError({
      code: 'BUNDLE_INCOMPLETE',
      message: `An images task needs its evaluator models (and hidden images) in an ${EVALUATION_FOLDER}/ folder.`,
    });
  for (const evaluator of definition.images!.evaluators) {
    const file = path.join(folder, evaluator.model);
    if (!existsSync(file))
      throw new BundleError({
        code: 'BUNDLE_INCOMPLETE',
        message: `task.yaml names ${EVALUATION_FOLDER}/${evaluator.model} for evaluator ${evaluator.name}, but the bundle has no such file.`,
      });
    try {
      checkModelContract(await readFile(file), evaluatorContract(evaluator, evaluatorWidth(evaluator, definition)));
    } catch (error) {
      if (error instanceof SubmissionRejection)
        throw new BundleError({
          code: 'BUNDLE_EVALUATOR_INVALID',
          message: `Evaluator ${evaluator.name} (${EVALUATION_FOLDER}/${evaluator.model}): ${error.detail.message}`,
        });
      throw error;
    }
  }
  try {
    const task = await loadImageTask(taskYaml, folder, { providers: ['cpu'], writeStatistics: true });
    const generatedFiles = [definition.metric, ...definition.report].flatMap((metric) => {
      const reference = metric.imageOptions?.reference;
      if (!reference) return [];
      const files = referenceStatisticsFiles(reference);
      return [files.mu, files.sigma].map((name) => `${EVALUATION_FOLDER}/${name}`);
    });
    const sampleArchive = definition.images!.originals ?? sampleReference(definition, folder);
    let evaluationSample: Record<string, number> | null = null;
    if (sampleArchive) {
      try {
        const { report } = await scoreImages(task, await readFile(path.join(folder, sampleArchive)), {
          providers: ['cpu'],
        });
        evaluationSample = { ...report.public.metrics };
      } catch (error) {
        if (!(error instanceof SubmissionRejection)) throw error;
        // Real images that are not shaped like an upload (another count) simply give no sample.
        if (definition.images!.originals)
          throw new BundleError({
            code: 'BUNDLE_IMAGES_INVALID',
            message: `The originals are not a valid upload of this task: ${error.detail.message}`,
          });
      }
    }
    return { rows: task.names.length, summary: { evaluationSample, generatedFiles } };
  } catch (error) {
    if (error instanceof EvaluatorFailure)
      throw new BundleError({ code: 'BUNDLE_EVALUATOR_FAILED', message: error.message });
    throw error;
  }
}

/** The reference archive of the first FID metric, to score as a sample upload. */
function sampleReference(definition: TaskDefinition, folder: string): string | null {
  const reference = [definition.metric, ...definition.report].find((metric) => metric.imageOptions?.reference)
    ?.imageOptions?.reference;
  return reference && existsSync(path.join(folder, reference)) ? reference : null;
}
