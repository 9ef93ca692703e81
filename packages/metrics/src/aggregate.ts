/** An aggregate that is not a comparison with a truth: a mean (HW12's mean reward over episodes). */
import { assertFinite, MetricError } from './metric-error.ts';
import { numpyMean } from './numpy-sum.ts';

/** Arithmetic mean in numpy's summation order. */
export function mean(values: Float64Array): number {
  if (values.length === 0) throw new MetricError('METRIC_EMPTY', 'The mean of no values is undefined.');
  assertFinite(values, 'values');
  return numpyMean(values);
}
