/** Points under an interval scheme instead of baselines (HW12's reward bands). */

/** A half-open score interval [from, to) worth some points; a missing bound is unbounded. */
export interface Band {
  readonly from?: number;
  readonly to?: number;
  readonly points: number;
}

/**
 * Points for a value under an interval scheme (HW12 2023: < 0 -> 0, [0, 110) -> 1, [110, 180) -> 2,
 * [180, 275) -> 3, >= 275 -> 4). The bands must not overlap; a value in no band, or not finite, earns 0.
 */
export function bandPoints(value: number, bands: readonly Band[]): number {
  if (!Number.isFinite(value)) return 0;
  const band = bands.find(
    (candidate) =>
      (candidate.from === undefined || value >= candidate.from) && (candidate.to === undefined || value < candidate.to),
  );
  return band?.points ?? 0;
}
