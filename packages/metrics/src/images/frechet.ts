/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (FID when the features come
 * from an Inception-like extractor), as pytorch-fid defines it:
 *
 *   d² = |mu1 - mu2|² + tr(S1) + tr(S2) - 2 tr(sqrtm(S1 S2))
 *
 * with means and covariances in float64 and covariances as numpy.cov (rowvar=False, ddof=1).
 *
 * pytorch-fid takes tr(sqrtm(S1 S2)) from scipy.linalg.sqrtm (a Schur-form square root), retrying
 * with S + 1e-6 I when that comes out non-finite. We compute the same number another way: with
 * S1 = F Fᵀ, the non-zero eigenvalues of S1 S2 are those of the symmetric matrix Fᵀ S2 F, all real and
 * non-negative, so the trace of the principal square root is the sum of their square roots. F is
 * the Cholesky factor of S1 when there are more images than dimensions (a zero pivot, from a dead
 * feature, leaves its column 0), else Xcᵀ / sqrt(n - 1) for the centred features Xc: the smaller
 * of the two, so that no spurious near-zero eigenvalue adds its rounding's square root. It needs no complex arithmetic, is finite
 * for any singular product (fewer images than feature dimensions, a dead feature), and agrees with
 * scipy's value to 1e-6 relative on the golden cases (fixtures/make_fid_fixtures.py).
 */
import { MetricError } from '../metric-error.ts';
import { symmetricEigenvalues } from './symmetric-eigenvalues.ts';

/** Mean and covariance of a set of feature vectors (float64), as pytorch-fid stores them (mu, sigma). */
export interface FeatureMoments {
  readonly dims: number;
  readonly mean: Float64Array;
  /** dims x dims, row-major. */
  readonly covariance: Float64Array;
}

/** Row-major feature vectors, one row per image. */
export interface FeatureMatrix {
  readonly rows: number;
  readonly dims: number;
  readonly values: Float32Array | Float64Array;
}

function checkFeatures(features: FeatureMatrix): void {
  if (features.values.length !== features.rows * features.dims)
    throw new RangeError(`${features.rows} x ${features.dims} features need ${features.rows * features.dims} values`);
  if (features.rows < 2)
    throw new MetricError('METRIC_TOO_FEW_ROWS', 'a covariance needs the features of at least two images');
  for (const value of features.values)
    if (!Number.isFinite(value)) throw new MetricError('METRIC_NON_FINITE', 'a feature is NaN or infinite');
}

/** The features minus their column means, in float64, and those means. */
function centred(features: FeatureMatrix): { mean: Float64Array; centred: Float64Array } {
  const { rows, dims, values } = features;
  const mean = new Float64Array(dims);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dims; j++) mean[j] = mean[j]! + values[i * dims + j]!;
  for (let j = 0; j < dims; j++) mean[j] = mean[j]! / rows;
  const result = new Float64Array(rows * dims);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dims; j++) result[i * dims + j] = values[i * dims + j]! - mean[j]!;
  return { mean, centred: result };
}

/** The covariance (dims x dims, ddof 1) of centred features. */
function covarianceOf(x: Float64Array, rows: number, dims: number): Float64Array {
  const covariance = new Float64Array(dims * dims);
  for (let i = 0; i < rows; i++) {
    const row = i * dims;
    for (let a = 0; a < dims; a++) {
      const xa = x[row + a]!;
      if (xa === 0) continue;
      const out = a * dims;
      for (let b = a; b < dims; b++) covariance[out + b] = covariance[out + b]! + xa * x[row + b]!;
    }
  }
  for (let a = 0; a < dims; a++)
    for (let b = a; b < dims; b++) {
      const value = covariance[a * dims + b]! / (rows - 1);
      covariance[a * dims + b] = value;
      covariance[b * dims + a] = value;
    }
  return covariance;
}

/** A factor F (dims x columns, row-major) with S = F Fᵀ. */
interface Factor {
  readonly columns: number;
  readonly values: Float64Array;
}

/**
 * The lower Cholesky factor of a positive semi-definite S; a pivot below rounding (a feature that
 * is constant, or a combination of others) leaves its column 0 instead of failing.
 */
function choleskyFactor(s: Float64Array, n: number): Factor {
  let largest = 0;
  for (let j = 0; j < n; j++) largest = Math.max(largest, s[j * n + j]!);
  const tolerance = n * Number.EPSILON * largest;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = s[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! ** 2;
    if (pivot <= tolerance) continue;
    const root = Math.sqrt(pivot);
    l[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = s[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / root;
    }
  }
  return { columns: n, values: l };
}

/** F = Xcᵀ / sqrt(rows - 1), so that F Fᵀ is the covariance. */
function featureFactor(x: Float64Array, rows: number, dims: number): Factor {
  const scale = 1 / Math.sqrt(rows - 1);
  const values = new Float64Array(dims * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dims; j++) values[j * rows + i] = x[i * dims + j]! * scale;
  return { columns: rows, values };
}

/** Fᵀ S F (columns x columns, symmetric) for S dims x dims. */
function congruence(factor: Factor, s: Float64Array, dims: number): { size: number; values: Float64Array } {
  const { columns, values: f } = factor;
  // T = S F (dims x columns), then M = Fᵀ T.
  const t = new Float64Array(dims * columns);
  for (let i = 0; i < dims; i++) {
    const out = i * columns;
    for (let k = 0; k < dims; k++) {
      const sik = s[i * dims + k]!;
      if (sik === 0) continue;
      const fRow = k * columns;
      for (let j = 0; j < columns; j++) t[out + j] = t[out + j]! + sik * f[fRow + j]!;
    }
  }
  const m = new Float64Array(columns * columns);
  for (let k = 0; k < dims; k++) {
    const fRow = k * columns;
    const tRow = k * columns;
    for (let i = 0; i < columns; i++) {
      const fki = f[fRow + i]!;
      if (fki === 0) continue;
      const out = i * columns;
      for (let j = i; j < columns; j++) m[out + j] = m[out + j]! + fki * t[tRow + j]!;
    }
  }
  for (let i = 0; i < columns; i++) for (let j = i + 1; j < columns; j++) m[j * columns + i] = m[i * columns + j]!;
  return { size: columns, values: m };
}

/** numpy.mean(features, axis=0) and numpy.cov(features, rowvar=False). */
export function featureMoments(features: FeatureMatrix): FeatureMoments {
  checkFeatures(features);
  const { mean, centred: x } = centred(features);
  return { dims: features.dims, mean, covariance: covarianceOf(x, features.rows, features.dims) };
}

/** The Fréchet distance between the Gaussian of `features` and the reference moments (mu, sigma). */
export function frechetDistance(features: FeatureMatrix, reference: FeatureMoments): number {
  checkFeatures(features);
  const { rows, dims } = features;
  if (reference.dims !== dims)
    throw new MetricError(
      'METRIC_SHAPE',
      `the features have ${dims} dimensions but the reference statistics ${reference.dims}`,
    );
  const { mean, centred: x } = centred(features);
  const sigma = reference.covariance;
  let meanTerm = 0;
  for (let j = 0; j < dims; j++) meanTerm += (mean[j]! - reference.mean[j]!) ** 2;
  let trace1 = 0;
  for (const value of x) trace1 += value * value;
  trace1 /= rows - 1;
  let trace2 = 0;
  for (let j = 0; j < dims; j++) trace2 += sigma[j * dims + j]!;
  const factor = rows > dims ? choleskyFactor(covarianceOf(x, rows, dims), dims) : featureFactor(x, rows, dims);
  const m = congruence(factor, sigma, dims);
  let traceSqrt = 0;
  // Rounding leaves the zero eigenvalues of a singular product slightly negative; their principal
  // square roots are imaginary, and pytorch-fid keeps the real part, 0.
  for (const eigenvalue of symmetricEigenvalues(m.values, m.size))
    if (eigenvalue > 0) traceSqrt += Math.sqrt(eigenvalue);
  return meanTerm + trace1 + trace2 - 2 * traceSqrt;
}
