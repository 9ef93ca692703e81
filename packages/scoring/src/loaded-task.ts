/**
 * A task ready to score: its definition, its decoded hidden solution and the row indices of each split.
 * Built once per task version (the worker caches it; the CLI builds it per run).
 */
import {
  BundleError,
  decodeSolutionSnapshot,
  encodeSolutionSnapshot,
  readSolutionCsv,
  USAGE_PRIVATE,
  USAGE_PUBLIC,
  type ColumnValues,
  type SolutionSpec,
  type SolutionTable,
} from '@mljudge/formats';
import { MetricError } from '@mljudge/metrics';
import { metricInput } from './metric-input.ts';
import { parseTaskYaml, truthKind, type TaskDefinition } from './task-definition.ts';

export interface LoadedTask {
  readonly definition: TaskDefinition;
  readonly solution: SolutionTable;
  readonly publicRows: Int32Array;
  readonly privateRows: Int32Array;
}

export const TASK_FILE = 'task.yaml';
export const SOLUTION_FILE = 'solution.csv';
/**
 * The decoded solution, kept beside solution.csv in a task version's folder: written when the bundle
 * is checked, read by every scoring thread and model runner that loads the version (see
 * loadTaskWithSnapshot). Never a public file: it holds the hidden labels.
 */
export const SOLUTION_SNAPSHOT_FILE = 'solution.snapshot';
/** ONNX tasks: the hidden model inputs, one row per solution.csv row, in the same order. */
export const INPUTS_FILE = 'inputs.npy';

/**
 * The public and the private rows, in file order. Without a branch per row: Usage is as often one as
 * the other in no order, and a branch that mispredicted half the time made this 15 ms at HW2 size.
 */
function splitRows(usage: Uint8Array): { publicRows: Int32Array; privateRows: Int32Array } {
  let publicCount = 0;
  let privateCount = 0;
  for (let i = 0; i < usage.length; i++) {
    publicCount += +(usage[i] === USAGE_PUBLIC);
    privateCount += +(usage[i] === USAGE_PRIVATE);
  }
  // One slot more than the rows: every row is written at the next free slot, kept only if it belongs.
  const publicRows = new Int32Array(publicCount + 1);
  const privateRows = new Int32Array(privateCount + 1);
  for (let i = 0, nextPublic = 0, nextPrivate = 0; i < usage.length; i++) {
    const rowUsage = usage[i];
    publicRows[nextPublic] = i;
    privateRows[nextPrivate] = i;
    nextPublic += +(rowUsage === USAGE_PUBLIC);
    nextPrivate += +(rowUsage === USAGE_PRIVATE);
  }
  return { publicRows: publicRows.subarray(0, publicCount), privateRows: privateRows.subarray(0, privateCount) };
}

function solutionSpecOf(definition: TaskDefinition): SolutionSpec {
  return {
    idColumn: definition.idColumn ?? 'id',
    targetColumns: definition.targetColumns,
    targetKind: truthKind(definition.inputKind),
    ...(definition.labels ? { labels: definition.labels } : {}),
  };
}

/** Builds a LoadedTask from the bytes of task.yaml and solution.csv. Throws BundleError. */
export function loadTask(taskYaml: string, solutionCsv: Uint8Array): LoadedTask {
  const definition = parseTaskYaml(taskYaml);
  return checkedTask(definition, readSolutionCsv(solutionCsv, solutionSpecOf(definition)));
}

/**
 * Loads a task from the snapshot of its decoded solution when `snapshot` is one of exactly this
 * solution.csv and task.yaml, else from the CSV; `snapshot` then comes back as the one to keep.
 * A snapshot is only ever made of a task that loaded and passed its checks, so they are not run again.
 */
export function loadTaskWithSnapshot(
  taskYaml: string,
  solutionCsv: Uint8Array,
  snapshot: Uint8Array | null,
): { task: LoadedTask; snapshot: Buffer | null } {
  const definition = parseTaskYaml(taskYaml);
  const spec = solutionSpecOf(definition);
  const stored = snapshot ? decodeSolutionSnapshot(snapshot, solutionCsv, spec) : null;
  if (stored) return { task: withSplits(definition, stored), snapshot: null };
  const task = checkedTask(definition, readSolutionCsv(solutionCsv, spec));
  return { task, snapshot: encodeSolutionSnapshot(task.solution, solutionCsv, spec) };
}

function withSplits(definition: TaskDefinition, solution: SolutionTable): LoadedTask {
  return { definition, solution, ...splitRows(solution.usage) };
}

/** The task, once its solution passes the checks that make it the TA's problem rather than each student's. */
function checkedTask(definition: TaskDefinition, solution: SolutionTable): LoadedTask {
  const task = withSplits(definition, solution);
  if (task.publicRows.length === 0)
    throw new BundleError({
      code: 'SOLUTION_NO_PUBLIC',
      message: 'solution.csv has no Public row: the public board would be empty.',
    });
  if (definition.inputKind === 'scores' && solution.vocabulary!.table.size > 2) {
    throw new BundleError({
      code: 'SOLUTION_NOT_BINARY',
      message: `${definition.metric.name} needs two classes in solution.csv; it has ${solution.vocabulary!.table.size}.`,
    });
  }
  assertTruthScoresItself(task);
  return task;
}

/** The truth as a prediction: what a perfect submission would contain. */
function truthAsPrediction(task: LoadedTask): ColumnValues {
  const truth = task.solution.targets[0]!;
  if (task.definition.inputKind !== 'scores') return truth;
  if (truth.kind !== 'label') throw new Error('scores metrics need a label truth column');
  const positive = task.solution.vocabulary!.table.findString(task.definition.metric.options.positiveLabel ?? '1');
  return { kind: 'number', values: Float64Array.from(truth.codes, (code) => (code === positive ? 1 : 0)) };
}

/**
 * Scores the truth against itself on every split, so that a metric undefined on the hidden data (ROC
 * AUC over a split with one class, a missing positive label) is the TA's error at upload time rather
 * than every student's at submission time.
 */
function assertTruthScoresItself(task: LoadedTask): void {
  const perfect = truthAsPrediction(task);
  for (const [split, rows] of [
    ['public', task.publicRows],
    ['private', task.privateRows],
  ] as const) {
    if (rows.length === 0) continue;
    for (const metric of [task.definition.metric, ...task.definition.report]) {
      try {
        metric.definition.compute(metricInput(task, perfect, rows), metric.options);
      } catch (error) {
        if (error instanceof MetricError) {
          throw new BundleError({
            code: 'SOLUTION_METRIC_UNDEFINED',
            message: `${metric.name} is not defined on the ${split} rows of solution.csv: ${error.message}`,
          });
        }
        throw error;
      }
    }
  }
}
