/**
 * Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form, then the
 * implicit QL iteration with Wilkinson-style shifts (Golub & Van Loan, "Matrix Computations", 8.3).
 * Eigenvalues only, in float64, (4/3)n^3 flops: what the Fréchet distance needs and no more.
 */
import { MetricError } from '../metric-error.ts';

const MAX_QL_ITERATIONS = 60;

/**
 * Reduces `matrix` (n x n, row-major, symmetric; overwritten) to tridiagonal form: the diagonal in
 * `diagonal`, the sub-diagonal in `offDiagonal` (offDiagonal[i] couples i and i+1; the last is 0).
 */
function tridiagonalize(matrix: Float64Array, n: number, diagonal: Float64Array, offDiagonal: Float64Array): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // The reflector maps column k below the diagonal onto its first entry.
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += matrix[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = matrix[(k + 1) * n + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    diagonal[k] = matrix[k * n + k]!;
    offDiagonal[k] = alpha;
    if (norm === 0) continue;
    let vNorm = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = matrix[i * n + k]! - (i === k + 1 ? alpha : 0);
      vNorm += v[i]! ** 2;
    }
    if (vNorm === 0) continue;
    const scale = 1 / Math.sqrt(vNorm);
    for (let i = k + 1; i < n; i++) v[i]! *= scale;
    // A' = H A H with H = I - 2vv^T: A' = A - 2 v w^T - 2 w v^T, w = A v - (v^T A v) v.
    let vAv = 0;
    for (let i = k + 1; i < n; i++) {
      let sum = 0;
      const row = i * n;
      for (let j = k + 1; j < n; j++) sum += matrix[row + j]! * v[j]!;
      p[i] = sum;
      vAv += v[i]! * sum;
    }
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - vAv * v[i]!;
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = 2 * v[i]!;
      const wi = 2 * p[i]!;
      for (let j = k + 1; j < n; j++) matrix[row + j] = matrix[row + j]! - vi * p[j]! - wi * v[j]!;
    }
  }
  if (n >= 2) {
    diagonal[n - 2] = matrix[(n - 2) * n + n - 2]!;
    offDiagonal[n - 2] = matrix[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) diagonal[n - 1] = matrix[(n - 1) * n + n - 1]!;
  offDiagonal[n - 1] = 0;
}

/** Eigenvalues of the symmetric tridiagonal matrix (diagonal, offDiagonal), overwriting `diagonal`. */
function tridiagonalEigenvalues(diagonal: Float64Array, offDiagonal: Float64Array, n: number): void {
  const d = diagonal;
  const e = offDiagonal;
  // Deflating an off-diagonal entry below eps ||T|| moves the eigenvalues no more than the Householder
  // reduction's own rounding did; without this floor, the zero eigenvalues of a singular matrix
  // (tiny d and e both) never deflate by the relative test alone.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!));
  const floor = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const scale = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * scale || Math.abs(e[m]!) <= floor) break;
      }
      if (m === l) break;
      if (++iterations > MAX_QL_ITERATIONS)
        throw new MetricError('METRIC_NO_CONVERGENCE', 'the eigenvalue iteration did not converge');
      // Shift from the leading 2x2 block, then chase the bulge up from m to l with Givens rotations.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (deflated) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** The eigenvalues of a symmetric n x n matrix (row-major; it is overwritten), in no particular order. */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  if (matrix.length !== n * n) throw new RangeError(`expected ${n * n} entries, got ${matrix.length}`);
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  tridiagonalize(matrix, n, diagonal, offDiagonal);
  tridiagonalEigenvalues(diagonal, offDiagonal, n);
  return diagonal;
}
