/**
 * A clock that stands still where it was made. The rate limiters weigh each hit by its clock minute,
 * so on the wall clock a test that counts requests against a limit would see counts that depend on
 * where in a minute it happens to run (a fixed-window limiter made such tests fail a few runs in a
 * hundred).
 */
export function stoppedClock(at = new Date()): () => Date {
  return () => at;
}
