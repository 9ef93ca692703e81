/**
 * Replays fixtures/fid-golden.json: Fréchet distances computed by scipy with pytorch-fid's formula
 * (make_fid_fixtures.py) on features regenerated here from the same MINSTD seeds. They must agree to
 * 1e-6 relative, including the cases with fewer images than feature dimensions and a dead feature,
 * where S1 S2 is singular.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetricError } from '../metric-error.ts';
import { featureMoments, frechetDistance, type FeatureMatrix } from './frechet.ts';
import { symmetricEigenvalues } from './symmetric-eigenvalues.ts';

interface FeatureSpec {
  seed: number;
  rows: number;
  dims: number;
  shift: number;
  dead: number;
}
interface GoldenCase {
  name: string;
  features: FeatureSpec;
  reference: FeatureSpec;
  expected: number;
  referenceTrace: number;
}

const golden = JSON.parse(readFileSync(new URL('../../fixtures/fid-golden.json', import.meta.url), 'utf8')) as {
  cases: GoldenCase[];
};

const MOD = 2147483647;

/** Mirrors features() in make_fid_fixtures.py. */
function features({ seed, rows, dims, shift, dead }: FeatureSpec): FeatureMatrix {
  const u = new Float64Array(rows * dims);
  let x = seed;
  for (let i = 0; i < u.length; i++) {
    x = (x * 48271) % MOD;
    u[i] = x / MOD;
  }
  const values = new Float32Array(rows * dims);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < dims; j++)
      values[i * dims + j] = j < dead ? 0 : u[i * dims + j]! + 0.5 * u[i * dims + ((j + 1) % dims)]! + shift;
  return { rows, dims, values };
}

describe('Fréchet distance against scipy (pytorch-fid formula)', () => {
  it('has at least three cases, one with fewer images than dimensions', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(3);
    expect(golden.cases.some((c) => c.features.rows < c.features.dims)).toBe(true);
  });

  for (const golden_ of golden.cases) {
    it(golden_.name, () => {
      const reference = featureMoments(features(golden_.reference));
      let trace = 0;
      for (let j = 0; j < reference.dims; j++) trace += reference.covariance[j * reference.dims + j]!;
      expect(Math.abs(trace - golden_.referenceTrace) / golden_.referenceTrace).toBeLessThan(1e-12);
      const value = frechetDistance(features(golden_.features), reference);
      expect(Math.abs(value - golden_.expected) / Math.abs(golden_.expected)).toBeLessThan(1e-6);
    });
  }

  it('is zero for a set against its own statistics', () => {
    const set = features({ seed: 5, rows: 120, dims: 16, shift: 0, dead: 0 });
    expect(Math.abs(frechetDistance(set, featureMoments(set)))).toBeLessThan(1e-9);
  });

  it('refuses non-finite features, a single image and mismatched dimensions', () => {
    const set = features({ seed: 7, rows: 10, dims: 4, shift: 0, dead: 0 });
    const moments = featureMoments(set);
    const withNaN = { ...set, values: Float32Array.from(set.values, (v, i) => (i === 3 ? NaN : v)) };
    expect(() => frechetDistance(withNaN, moments)).toThrow(MetricError);
    expect(() => frechetDistance({ rows: 1, dims: 4, values: set.values.subarray(0, 4) }, moments)).toThrow(
      MetricError,
    );
    const wider = features({ seed: 7, rows: 10, dims: 5, shift: 0, dead: 0 });
    expect(() => frechetDistance(wider, moments)).toThrow(/5 dimensions/);
  });
});

describe('symmetric eigenvalues', () => {
  it('finds the eigenvalues of a matrix with known spectrum', () => {
    // Q diag(λ) Qᵀ with Q a rotation in two planes: eigenvalues are λ exactly (to rounding).
    const lambda = [5, -2, 0, 0, 3.5, 1e-9];
    const n = lambda.length;
    const q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
    const rotate = (a: number, b: number, angle: number) => {
      for (let i = 0; i < n; i++) {
        const x = q[i * n + a]!;
        const y = q[i * n + b]!;
        q[i * n + a] = Math.cos(angle) * x - Math.sin(angle) * y;
        q[i * n + b] = Math.sin(angle) * x + Math.cos(angle) * y;
      }
    };
    rotate(0, 3, 0.7);
    rotate(1, 4, -1.1);
    rotate(2, 5, 0.3);
    rotate(0, 5, 2.0);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += q[i * n + k]! * lambda[k]! * q[j * n + k]!;
        m[i * n + j] = sum;
      }
    const found = [...symmetricEigenvalues(m, n)].sort((a, b) => a - b);
    const expected = [...lambda].sort((a, b) => a - b);
    found.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 12));
  });

  it('handles 1x1 and 2x2 matrices', () => {
    expect([...symmetricEigenvalues(Float64Array.of(4), 1)]).toEqual([4]);
    const two = [...symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2)].sort();
    expect(two[0]).toBeCloseTo(1, 14);
    expect(two[1]).toBeCloseTo(3, 14);
  });
});
