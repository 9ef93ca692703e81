/**
 * A metric that is undefined for its input (a single class for ROC AUC, empty input, NaN). Carries a
 * stable code; the scorer turns it into a rejection or a task error depending on whose data caused it.
 */
export class MetricError extends Error {
  override name = 'MetricError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws unless both arrays have the same, non-zero length. */
export function assertSameLength(truthLength: number, predictionLength: number): void {
  if (truthLength === 0) throw new MetricError('METRIC_EMPTY', 'The metric needs at least one row.');
  if (truthLength !== predictionLength) {
    throw new MetricError('METRIC_LENGTH', `Truth has ${truthLength} rows but predictions have ${predictionLength}.`);
  }
}

/** Throws when any value is NaN or infinite. */
export function assertFinite(values: Float64Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new MetricError('METRIC_NON_FINITE', `${what}[${i}] is ${values[i]}; every value must be a finite number.`);
    }
  }
}
