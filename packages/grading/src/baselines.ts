/**
 * Baselines passed by a score. A baseline may set thresholds on several metrics, all of which must be
 * met (HW6: FID <= 9000 AND AFD >= 0.6); each metric is compared in its own direction.
 */

export interface Baseline {
  readonly name: string;
  readonly public: Readonly<Record<string, number>>;
  readonly private: Readonly<Record<string, number>>;
  readonly points: number;
}

export type Board = 'public' | 'private';
export type MetricDirections = Readonly<Record<string, 'higher' | 'lower'>>;

/** True when `metrics` meets every threshold of `baseline` on `board`. */
export function meetsBaseline(
  baseline: Baseline,
  board: Board,
  metrics: Readonly<Record<string, number>>,
  directions: MetricDirections,
): boolean {
  return Object.entries(baseline[board]).every(([metric, threshold]) => {
    const value = metrics[metric];
    if (value === undefined || !Number.isFinite(value)) return false;
    return directions[metric] === 'lower' ? value <= threshold : value >= threshold;
  });
}

/** Names and total points of the baselines passed on a board. */
export function baselinesPassed(
  baselines: readonly Baseline[],
  board: Board,
  metrics: Readonly<Record<string, number>> | null,
  directions: MetricDirections,
): { names: string[]; points: number } {
  if (!metrics) return { names: [], points: 0 };
  const passed = baselines.filter((baseline) => meetsBaseline(baseline, board, metrics, directions));
  return {
    names: passed.map((baseline) => baseline.name),
    points: passed.reduce((sum, baseline) => sum + baseline.points, 0),
  };
}
