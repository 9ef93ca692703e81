/**
 * Scores one submitted file against a loaded task: read and validate it (formats), then compute every
 * metric on the public and the private rows (metrics). Pure CPU work over bytes: the same function
 * runs in the worker and in `mljudge score` on a student's laptop.
 */
import {
  readPredictionCsv,
  readTextLines,
  SubmissionRejection,
  type ColumnValues,
  type TextColumn,
} from '@mljudge/formats';
import { MetricError, type MetricInput } from '@mljudge/metrics';
import { metricInput } from './metric-input.ts';
import type { LoadedTask } from './loaded-task.ts';
import { predictionKind, type ResolvedMetric } from './task-definition.ts';

/** Bumped whenever a change to parsing or metrics could change a score. Stored with every score. */
export const SCORER_VERSION = 'mljudge-scorer/1.0.0';

export interface SplitScore {
  /** The primary metric. */
  readonly value: number;
  /** Every metric by name, primary first. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly rows: number;
}

export interface ScoreReport {
  readonly public: SplitScore;
  /** Null when the task has no private rows (e.g. HW6). */
  readonly private: SplitScore | null;
  readonly scorerVersion: string;
}

function readSubmission(task: LoadedTask, bytes: Uint8Array): ColumnValues {
  const { definition, solution } = task;
  if (definition.format === 'onnx')
    throw new Error('ONNX submissions are scored from model outputs: use scorePredictions');
  if (definition.format === 'text') {
    return { kind: 'text', values: readTextLines(bytes, solution.rowCount) } satisfies TextColumn;
  }
  return readPredictionCsv(bytes, solution, {
    idColumn: definition.idColumn!,
    predictionColumn: definition.predictionColumn,
    kind: predictionKind(definition.inputKind),
  });
}

function computeMetric(metric: ResolvedMetric, input: MetricInput): number {
  try {
    return metric.definition.compute(input, metric.options);
  } catch (error) {
    // Truth-side problems were ruled out when the bundle was loaded, so what is left is the student's
    // (e.g. a non-finite value that slipped past parsing).
    // Its own message may describe the truth (how many classes it has, a row's label), so the student
    // gets one written from the metric's name and their own file only.
    if (error instanceof MetricError)
      throw new SubmissionRejection({ code: error.code, message: studentMessage(error.code, metric.name) });
    throw error;
  }
}

/** Why a metric refused a student's predictions, in words that use nothing from the hidden data. */
function studentMessage(code: string, metric: string): string {
  switch (code) {
    case 'METRIC_NOT_BINARY':
      return `The predictions use more than two labels; ${metric} compares two.`;
    case 'METRIC_NON_FINITE':
      return `A prediction is NaN or infinite; ${metric} needs finite numbers.`;
    default:
      return `${metric} cannot be computed on these predictions (${code}).`;
  }
}

function scoreSplit(task: LoadedTask, prediction: ColumnValues, rows: Int32Array): SplitScore {
  const input = metricInput(task, prediction, rows);
  const metrics: Record<string, number> = {};
  for (const metric of [task.definition.metric, ...task.definition.report])
    metrics[metric.name] = computeMetric(metric, input);
  return { value: metrics[task.definition.metric.name]!, metrics, rows: rows.length };
}

/** Validates and scores a submission. Throws SubmissionRejection when the file cannot be scored. */
export function scoreSubmission(task: LoadedTask, bytes: Uint8Array): ScoreReport {
  return scorePredictions(task, readSubmission(task, bytes));
}

/**
 * Scores predictions already aligned to the solution's rows (what a model produced on the hidden
 * inputs): the same metrics, splits and report as a prediction file.
 */
export function scorePredictions(task: LoadedTask, prediction: ColumnValues): ScoreReport {
  return {
    public: scoreSplit(task, prediction, task.publicRows),
    private: task.privateRows.length > 0 ? scoreSplit(task, prediction, task.privateRows) : null,
    scorerVersion: SCORER_VERSION,
  };
}
