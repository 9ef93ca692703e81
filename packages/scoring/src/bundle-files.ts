/**
 * Reads a task bundle directory from disk (what a TA pushes, what `mljudge score --task` reads), in a
 * fixed order so a bundle missing several files is always described the same way.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleError } from '@mljudge/formats';
import { inspectNpy, npyHeaderBytes, NpyError, NPY_PREFIX_BYTES, type NpyLayout } from '@mljudge/onnx-runner';
import { INPUTS_FILE, loadTask, SOLUTION_FILE, TASK_FILE, type LoadedTask } from './loaded-task.ts';
import { readTaskYamlDocument, type ModelRules } from './task-definition.ts';

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

/** The files of a bundle on disk; `inputsPath` only for model tasks. */
export interface BundlePaths {
  readonly taskYamlPath: string;
  readonly solutionPath: string;
  readonly inputsPath: string | null;
}

/** What a checked bundle is: its task.yaml document (stored with the task) and its split sizes. */
export interface BundleSummary {
  readonly document: unknown;
  readonly publicRows: number;
  readonly privateRows: number;
}

/**
 * Checks a whole bundle as an upload or a TA's offline check does: task.yaml, every solution row,
 * the metric on each split, and for model tasks the layout of inputs.npy (read from its header and
 * size, never its hundreds of megabytes). Throws BundleError naming what is wrong.
 */
export async function checkBundleFiles(paths: BundlePaths): Promise<BundleSummary> {
  const taskYaml = (await readFile(paths.taskYamlPath)).toString('utf8');
  const task = loadTask(taskYaml, await readFile(paths.solutionPath));
  if (task.definition.model) checkInputsLayout(paths.inputsPath, task.definition.model, task.solution.rowCount);
  return {
    document: readTaskYamlDocument(taskYaml),
    publicRows: task.publicRows.length,
    privateRows: task.privateRows.length,
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
