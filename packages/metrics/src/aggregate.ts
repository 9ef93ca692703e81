/** Aggregates that are not comparisons with a truth: a mean (HW12's mean reward) and banded points. */
import { assertFinite, MetricError } from './metric-error.ts';
import { numpyMean } from './numpy-sum.ts';

/** Arithmetic mean in numpy's summation order. */
export function mean(values: Float64Array): number {
  if (values.length === 0) throw new MetricError('METRIC_EMPTY', 'The mean of no values is undefined.');
  assertFinite(values, 'values');
  return numpyMean(values);
}

/** A half-open score interval [from, to) worth some points; a missing bound is unbounded. */
export interface Band {
  readonly from?: number;
  readonly to?: number;
  readonly points: number;
}

/**
 * Points for a value under an interval scheme (HW12 2023: < 0 -> 0, [0, 110) -> 1, [110, 180) -> 2,
 * [180, 275) -> 3, >= 275 -> 4). The bands must not overlap; a value in no band earns 0.
 */
export function bandPoints(value: number, bands: readonly Band[]): number {
  if (!Number.isFinite(value)) throw new MetricError('METRIC_NON_FINITE', `Cannot band ${value}.`);
  const band = bands.find(
    (candidate) =>
      (candidate.from === undefined || value >= candidate.from) && (candidate.to === undefined || value < candidate.to),
  );
  return band?.points ?? 0;
}
