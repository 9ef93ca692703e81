/** Validates one task bundle (schema, metric, every solution row, the metric on each split) off the API's event loop. */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { BundleError } from '@mljudge/formats';
import { inspectNpy, npyHeaderBytes, NpyError, NPY_PREFIX_BYTES } from '@mljudge/onnx-runner';
import { INPUTS_FILE, loadTask, type ModelRules } from '@mljudge/scoring';
import type { CheckResult } from './protocol.ts';

const { taskYamlPath, solutionPath, inputsPath } = workerData as {
  taskYamlPath: string;
  solutionPath: string;
  inputsPath: string | null;
};

function check(): CheckResult {
  try {
    const {
      definition,
      publicRows,
      privateRows,
      solution: table,
    } = loadTask(readFileSync(taskYamlPath, 'utf8'), readFileSync(solutionPath));
    if (definition.model) checkInputs(definition.model, table.rowCount);
    return {
      ok: {
        slug: definition.slug,
        title: definition.title,
        description: definition.description,
        format: definition.format,
        metric: { name: definition.metric.name, options: { ...definition.metric.rawOptions } },
        direction: definition.direction,
        dailySubmissions: definition.dailySubmissions,
        maxUploadBytes: definition.maxUploadBytes,
        opensAt: definition.opensAt?.toISOString(),
        deadline: definition.deadline?.toISOString(),
        revealAt: definition.revealAt?.toISOString(),
        publicRows: publicRows.length,
        privateRows: privateRows.length,
      },
    };
  } catch (error) {
    if (error instanceof BundleError) return { problem: error.detail };
    return { crash: (error as Error).stack ?? String(error) };
  }
}

/** ONNX tasks: inputs.npy must hold one row of the declared dtype and shape per solution row. */
function checkInputs(model: ModelRules, rows: number): void {
  if (!inputsPath)
    throw new BundleError({
      code: 'BUNDLE_INCOMPLETE',
      message: `An onnx task needs ${INPUTS_FILE} with the hidden model inputs.`,
    });
  let array;
  try {
    array = npyLayoutOf(inputsPath);
  } catch (error) {
    if (error instanceof NpyError)
      throw new BundleError({ code: 'BUNDLE_INPUTS_INVALID', message: `${INPUTS_FILE}: ${error.message}` });
    throw error;
  }
  const expected = [rows, ...model.inputShape];
  if (array.dtype !== model.inputType || array.shape.join(',') !== expected.join(',')) {
    throw new BundleError({
      code: 'BUNDLE_INPUTS_INVALID',
      message: `${INPUTS_FILE} is ${array.dtype} [${array.shape.join(', ')}]; task.yaml and solution.csv need ${model.inputType} [${expected.join(', ')}].`,
    });
  }
}

/** The header of a .npy file on disk, checked against its size; the data (hundreds of MB) is not read. */
function npyLayoutOf(file: string) {
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

parentPort!.postMessage(check());
