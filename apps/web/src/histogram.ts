/** Binning for the score histogram on the TA dashboard. */

// Values on a bin edge belong to the bin that starts there, despite 0.7 - 0.3 = 0.39999999999999997.
const EDGE = 1e-9;

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/**
 * Equal-width bins over the values and the baselines (so every line falls inside the axis), with a
 * round width (1, 2 or 5 times a power of ten) and edges on its multiples, so the axis reads 0.30, 0.35…
 */
export function histogram(values: readonly number[], marks: readonly number[], targetBins = 20): Bin[] {
  const all = [...values, ...marks].filter(Number.isFinite);
  if (all.length === 0) return [];
  const low = Math.min(...all);
  const high = Math.max(...all);
  const raw = high > low ? (high - low) / targetBins : Math.max(Math.abs(low) * 0.1, 1e-6);
  const power = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= raw)!;
  const start = Math.floor(low / width + EDGE) * width;
  const count = Math.max(1, Math.floor((high - start) / width + EDGE) + 1);
  const bins = Array.from({ length: count }, (_, i) => ({
    from: start + i * width,
    to: start + (i + 1) * width,
    count: 0,
  }));
  for (const value of values)
    bins[Math.min(count - 1, Math.max(0, Math.floor((value - start) / width + EDGE)))]!.count++;
  return bins;
}
