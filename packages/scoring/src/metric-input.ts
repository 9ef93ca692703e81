/**
 * Gathers the truth and the prediction for one split's rows into the typed input a metric reads.
 */
import type { ColumnValues, SolutionTable } from '@mljudge/formats';
import type { MetricInput } from '@mljudge/metrics';
import type { TaskDefinition } from './task-definition.ts';

/** What gathering needs of a loaded task: its rules and its decoded solution. */
export interface TaskTruth {
  readonly definition: TaskDefinition;
  readonly solution: SolutionTable;
}

/**
 * The truth of a split is the same for every submission, so it is gathered once per truth column and
 * split, not per upload (a third of an HW2 score's metric time). Metrics only read their input.
 */
const gatheredTruth = new WeakMap<object, WeakMap<Int32Array, Int32Array | Float64Array | Uint8Array>>();

function truthOnce<T extends Int32Array | Float64Array | Uint8Array>(
  column: object,
  rows: Int32Array,
  gather: () => T,
): T {
  let bySplit = gatheredTruth.get(column);
  if (!bySplit) gatheredTruth.set(column, (bySplit = new WeakMap()));
  let gathered = bySplit.get(rows) as T | undefined;
  if (!gathered) bySplit.set(rows, (gathered = gather()));
  return gathered;
}

function gatherInt(values: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function gatherFloat(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function gatherText(values: readonly string[], rows: Int32Array): string[] {
  return Array.from(rows, (row) => values[row]!);
}

/** A reference stream for the rows: null where the row has no reference in this column. */
function gatherReferences(
  values: readonly string[],
  missing: Uint8Array | undefined,
  rows: Int32Array,
): Array<string | null> {
  return Array.from(rows, (row) => (missing?.[row] ? null : values[row]!));
}

function positiveTruth(task: TaskTruth, rows: Int32Array): Uint8Array {
  const truth = task.solution.targets[0]!;
  if (truth.kind !== 'label') throw new Error('scores metrics need a label truth column');
  const positiveLabel = task.definition.metric.options.positiveLabel ?? '1';
  const positive = task.solution.vocabulary!.table.findString(positiveLabel);
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = truth.codes[rows[i]!] === positive ? 1 : 0;
  return out;
}

/** Builds the metric input for the given rows from the truth and a decoded prediction column. */
export function metricInput(task: TaskTruth, prediction: ColumnValues, rows: Int32Array): MetricInput {
  const truth = task.solution.targets;
  switch (task.definition.inputKind) {
    case 'labels': {
      const column = truth[0]!;
      if (column.kind !== 'label' || prediction.kind !== 'label') throw new Error('label metric without label columns');
      return {
        kind: 'labels',
        truth: truthOnce(column.codes, rows, () => gatherInt(column.codes, rows)),
        prediction: gatherInt(prediction.codes, rows),
        classNames: prediction.classNames,
      };
    }
    case 'numbers': {
      const column = truth[0]!;
      if (column.kind !== 'number' || prediction.kind !== 'number')
        throw new Error('number metric without number columns');
      return {
        kind: 'numbers',
        truth: truthOnce(column.values, rows, () => gatherFloat(column.values, rows)),
        prediction: gatherFloat(prediction.values, rows),
      };
    }
    case 'scores':
      if (prediction.kind !== 'number') throw new Error('score metric without number predictions');
      return {
        kind: 'scores',
        truth: truthOnce(task.solution.targets[0]!, rows, () => positiveTruth(task, rows)),
        scores: gatherFloat(prediction.values, rows),
      };
    case 'texts':
      if (prediction.kind !== 'text') throw new Error('text metric without text predictions');
      return {
        kind: 'texts',
        references: truth.map((column) =>
          column.kind === 'text' ? gatherReferences(column.values, column.missing, rows) : [],
        ),
        prediction: gatherText(prediction.values, rows),
      };
  }
}
