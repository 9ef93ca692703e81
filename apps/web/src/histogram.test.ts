import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.ts';

describe('histogram', () => {
  it('uses a round bin width with edges on its multiples, and counts edge values into the bin they start', () => {
    const bins = histogram([0.4, 0.6, 0.7, 0.8, 1.0], [0.3, 0.5, 0.7, 0.9]);
    expect(bins[0]!.from).toBeCloseTo(0.3, 12);
    expect(bins[1]!.from - bins[0]!.from).toBeCloseTo(0.05, 12);
    const counted = (edge: number) => bins.find((bin) => Math.abs(bin.from - edge) < 1e-9)!.count;
    expect(counted(0.7)).toBe(1);
    expect(counted(0.8)).toBe(1);
    expect(counted(1.0)).toBe(1);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(5);
  });

  it('copes with one distinct value, no values, and losses in the thousands', () => {
    expect(histogram([], [])).toEqual([]);
    const single = histogram([2, 2, 2], []);
    expect(single.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
    const wide = histogram([1200, 3400, 9800], [5000]);
    expect(wide[1]!.from - wide[0]!.from).toBe(500);
    expect(wide.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
  });
});
