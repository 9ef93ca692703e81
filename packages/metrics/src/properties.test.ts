/** Invariants that must hold for any input (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy, precisionRecallF1 } from './classification.ts';
import { averagePrecision, rocAuc } from './ranking.ts';
import { meanSquaredError, r2Score } from './regression.ts';
import { corpusBleu } from './text/bleu.ts';
import { exactMatch } from './text/qa.ts';
import { numpySum } from './numpy-sum.ts';

const labels = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 200 });
const binaryWithScores = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: -1000, max: 1000 }).map((s) => s / 8),
    ),
    { minLength: 2, maxLength: 200 },
  )
  .filter((rows) => rows.some(([t]) => t === 1) && rows.some(([t]) => t === 0));

describe('metric invariants', () => {
  it('accuracy and every F1 average of a perfect prediction is 1', () => {
    fc.assert(
      fc.property(labels, (truth) => {
        const codes = Int32Array.from(truth);
        expect(accuracy(codes, codes)).toBe(1);
        for (const average of ['macro', 'micro', 'weighted'] as const)
          expect(precisionRecallF1(codes, codes, { average }).f1).toBe(1);
      }),
    );
  });

  it('micro-averaged F1 equals accuracy for single-label multiclass', () => {
    fc.assert(
      fc.property(labels, labels, (a, b) => {
        const n = Math.min(a.length, b.length);
        const truth = Int32Array.from(a.slice(0, n));
        const prediction = Int32Array.from(b.slice(0, n));
        expect(precisionRecallF1(truth, prediction, { average: 'micro' }).f1).toBeCloseTo(
          accuracy(truth, prediction),
          12,
        );
      }),
    );
  });

  it('ROC AUC and average precision are invariant under strictly increasing transforms of the scores', () => {
    fc.assert(
      fc.property(binaryWithScores, (rows) => {
        const truth = Uint8Array.from(rows.map(([t]) => t));
        const scores = Float64Array.from(rows.map(([, s]) => s));
        const transformed = scores.map((s) => Math.exp(s / 40) * 5 + s); // strictly increasing, keeps ties
        expect(rocAuc(truth, transformed)).toBeCloseTo(rocAuc(truth, scores), 12);
        expect(averagePrecision(truth, transformed)).toBeCloseTo(averagePrecision(truth, scores), 12);
      }),
    );
  });

  it('ROC AUC of reversed scores is 1 - AUC', () => {
    fc.assert(
      fc.property(binaryWithScores, (rows) => {
        const truth = Uint8Array.from(rows.map(([t]) => t));
        const scores = Float64Array.from(rows.map(([, s]) => s));
        expect(
          rocAuc(
            truth,
            scores.map((s) => -s),
          ),
        ).toBeCloseTo(1 - rocAuc(truth, scores), 12);
      }),
    );
  });

  it('MSE is non-negative and zero, with R² = 1, for a perfect prediction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const truth = Float64Array.from(values);
          expect(meanSquaredError(truth, truth)).toBe(0);
          expect(r2Score(truth, truth)).toBe(1);
          expect(
            meanSquaredError(
              truth,
              truth.map((v) => v + 1),
            ),
          ).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('numpySum is exact for integers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 20000 }), (values) => {
        expect(numpySum(Float64Array.from(values))).toBe(values.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 30 },
    );
  });

  it('BLEU of a corpus against itself is 100 and exact match is 1', () => {
    const sentence = fc
      .array(fc.constantFrom('the', 'cat', '3.5', 'e-mail', '我們', '。', '"q"', 'U.S.'), {
        minLength: 4,
        maxLength: 12,
      })
      .map((words) => words.join(' '));
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 20 }), (corpus) => {
        expect(corpusBleu(corpus, [corpus], { tokenize: '13a' }).score).toBeCloseTo(100, 9);
        expect(corpusBleu(corpus, [corpus], { tokenize: 'zh' }).score).toBeCloseTo(100, 9);
        expect(exactMatch(corpus, [corpus])).toBe(1);
      }),
    );
  });
});
