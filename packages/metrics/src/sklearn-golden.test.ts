/**
 * Replays packages/metrics/fixtures/sklearn-golden.json, made by scikit-learn 1.2.1 with
 * make_sklearn_fixtures.py. Values must agree to 1e-12 (relative); cases scikit-learn refuses must throw.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy, precisionRecallF1, topKAccuracy, type Average } from './classification.ts';
import { MetricError } from './metric-error.ts';
import { averagePrecision, logLoss, rocAuc } from './ranking.ts';
import { meanAbsoluteError, meanSquaredError, r2Score, rootMeanSquaredError } from './regression.ts';

interface Generator {
  kind: 'labels' | 'numbers' | 'scores';
  seed: number;
  n: number;
  classes: number | null;
}
interface GoldenCase {
  name: string;
  metric: string;
  options: { average?: Average; pos_label?: number; k?: number };
  truth?: number[];
  prediction?: Array<number | number[] | string>;
  generator?: Generator;
  expected: number | { error: string };
}

const golden = JSON.parse(readFileSync(new URL('../fixtures/sklearn-golden.json', import.meta.url), 'utf8')) as {
  cases: GoldenCase[];
};

const MOD = 2147483647;
function minstd(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % MOD; // < 2^47: exact in float64
    out[i] = x;
  }
  return out;
}

/** Mirror of `generated()` in make_sklearn_fixtures.py. */
function generate({ kind, seed, n, classes }: Generator): { truth: Float64Array; prediction: Float64Array } {
  const a = minstd(seed, n);
  const b = minstd(seed + 1, n);
  const truth = new Float64Array(n);
  const prediction = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'labels') {
      truth[i] = a[i]! % classes!;
      prediction[i] = b[i]! % 10 < 6 ? truth[i]! : b[i]! % classes!;
    } else if (kind === 'numbers') {
      truth[i] = (a[i]! / MOD) * 10.0;
      prediction[i] = truth[i]! + (b[i]! / MOD - 0.5);
    } else {
      truth[i] = a[i]! % 2;
      prediction[i] = Number(((b[i]! / MOD) * 0.7 + truth[i]! * 0.3).toFixed(3));
    }
  }
  return { truth, prediction };
}

function inputs(c: GoldenCase): { truth: Float64Array; prediction: Float64Array } {
  if (c.generator) return generate(c.generator);
  // JSON cannot hold NaN or Infinity, so the fixture writes them as "nan", "inf" and "-inf".
  const prediction = (c.prediction ?? []).map((value) =>
    typeof value === 'string' ? Number(value.replace('nan', 'NaN').replace('inf', 'Infinity')) : value,
  );
  return { truth: Float64Array.from(c.truth ?? []), prediction: Float64Array.from(prediction as number[]) };
}

function compute(c: GoldenCase): number {
  if (c.metric === 'top_k_accuracy') {
    const rows = c.prediction as number[][];
    return topKAccuracy(Int32Array.from(c.truth!), Float64Array.from(rows.flat()), rows[0]!.length, c.options.k!);
  }
  const { truth, prediction } = inputs(c);
  switch (c.metric) {
    case 'accuracy':
      return accuracy(Int32Array.from(truth), Int32Array.from(prediction));
    case 'precision':
    case 'recall':
    case 'f1':
      return precisionRecallF1(Int32Array.from(truth), Int32Array.from(prediction), {
        average: c.options.average ?? 'macro',
        ...(c.options.pos_label !== undefined ? { positiveClass: c.options.pos_label } : {}),
      })[c.metric];
    case 'mse':
      return meanSquaredError(truth, prediction);
    case 'rmse':
      return rootMeanSquaredError(truth, prediction);
    case 'mae':
      return meanAbsoluteError(truth, prediction);
    case 'r2':
      return r2Score(truth, prediction);
    case 'roc_auc':
      return rocAuc(Uint8Array.from(truth), prediction);
    case 'average_precision':
      return averagePrecision(Uint8Array.from(truth), prediction);
    case 'log_loss':
      return logLoss(Uint8Array.from(truth), prediction);
    default:
      throw new Error(`no such metric in the fixture runner: ${c.metric}`);
  }
}

describe('metrics against scikit-learn 1.2.1 golden values', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (typeof c.expected === 'number') {
      const value = compute(c);
      const tolerance = 1e-12 * Math.max(1, Math.abs(c.expected));
      expect(Math.abs(value - c.expected)).toBeLessThanOrEqual(tolerance);
    } else {
      expect(() => compute(c)).toThrow(MetricError);
    }
  });
});
