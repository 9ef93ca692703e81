/**
 * A task ready to score: its definition, its decoded hidden solution and the row indices of each split.
 * Built once per task version (the worker caches it; the CLI builds it per run).
 */
import {
  BundleError,
  readSolutionCsv,
  USAGE_PRIVATE,
  USAGE_PUBLIC,
  type ColumnValues,
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
/** ONNX tasks: the hidden model inputs, one row per solution.csv row, in the same order. */
export const INPUTS_FILE = 'inputs.npy';

function rowsWithUsage(usage: Uint8Array, wanted: number): Int32Array {
  let count = 0;
  for (let i = 0; i < usage.length; i++) if (usage[i] === wanted) count++;
  const rows = new Int32Array(count);
  for (let i = 0, next = 0; i < usage.length; i++) if (usage[i] === wanted) rows[next++] = i;
  return rows;
}

/** Builds a LoadedTask from the bytes of task.yaml and solution.csv. Throws BundleError. */
export function loadTask(taskYaml: string, solutionCsv: Uint8Array): LoadedTask {
  const definition = parseTaskYaml(taskYaml);
  const solution = readSolutionCsv(solutionCsv, {
    idColumn: definition.idColumn ?? 'id',
    targetColumns: definition.targetColumns,
    targetKind: truthKind(definition.inputKind),
    ...(definition.labels ? { labels: definition.labels } : {}),
  });
  const publicRows = rowsWithUsage(solution.usage, USAGE_PUBLIC);
  const privateRows = rowsWithUsage(solution.usage, USAGE_PRIVATE);
  if (publicRows.length === 0)
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
  const task = { definition, solution, publicRows, privateRows };
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
