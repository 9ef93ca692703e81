/**
 * Regression metrics over Float64Arrays, as scikit-learn 1.2 defines them (`mean_squared_error`,
 * `mean_squared_error(squared=False)`, `mean_absolute_error`, `r2_score` with force_finite=True).
 */
import { assertFinite, assertSameLength } from './metric-error.ts';
import { numpySumOf } from './numpy-sum.ts';

function checked(truth: Float64Array, prediction: Float64Array): number {
  assertSameLength(truth.length, prediction.length);
  assertFinite(truth, 'truth');
  assertFinite(prediction, 'prediction');
  return truth.length;
}

function sumSquaredError(truth: Float64Array, prediction: Float64Array): number {
  return numpySumOf(truth.length, (scratch, offset, count) => {
    for (let i = 0; i < count; i++) {
      const difference = truth[offset + i]! - prediction[offset + i]!;
      scratch[i] = difference * difference;
    }
  });
}

/** Mean squared error. Lower is better. */
export function meanSquaredError(truth: Float64Array, prediction: Float64Array): number {
  const n = checked(truth, prediction);
  return sumSquaredError(truth, prediction) / n;
}

/** Root mean squared error. Lower is better. */
export function rootMeanSquaredError(truth: Float64Array, prediction: Float64Array): number {
  return Math.sqrt(meanSquaredError(truth, prediction));
}

/** Mean absolute error. Lower is better. */
export function meanAbsoluteError(truth: Float64Array, prediction: Float64Array): number {
  const n = checked(truth, prediction);
  return (
    numpySumOf(n, (scratch, offset, count) => {
      for (let i = 0; i < count; i++) scratch[i] = Math.abs(truth[offset + i]! - prediction[offset + i]!);
    }) / n
  );
}

/**
 * Coefficient of determination. Higher is better. A constant truth gives 1 for a perfect prediction
 * and 0 otherwise (scikit-learn's force_finite behaviour) instead of a division by zero.
 */
export function r2Score(truth: Float64Array, prediction: Float64Array): number {
  const n = checked(truth, prediction);
  const residual = sumSquaredError(truth, prediction);
  const mean = numpySumOf(n, (scratch, offset, count) => scratch.set(truth.subarray(offset, offset + count))) / n;
  const total = numpySumOf(n, (scratch, offset, count) => {
    for (let i = 0; i < count; i++) {
      const difference = truth[offset + i]! - mean;
      scratch[i] = difference * difference;
    }
  });
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
