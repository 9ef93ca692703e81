/** A student's course total: the sum of their best `bestOf` task grades (all tasks when null). */
export function courseTotal(taskPoints: readonly number[], bestOf: number | null): number {
  const sorted = [...taskPoints].sort((a, b) => b - a);
  const counted = bestOf === null ? sorted : sorted.slice(0, bestOf);
  return counted.reduce((sum, points) => sum + points, 0);
}

/** Rounds a public score for students, to blunt probing of the hidden labels; null keeps it exact. */
export function roundScore(value: number, digits: number | null | undefined): number {
  if (digits === null || digits === undefined) return value;
  return Number(value.toFixed(digits));
}
