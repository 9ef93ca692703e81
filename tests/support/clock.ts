/**
 * A clock that stands still where it was made. The rate limiters count per clock minute, so a test
 * that counts requests against a limit on the wall clock sees the count reset whenever its run
 * straddles a minute, and fails a few runs in a hundred by the time of day.
 */
export function stoppedClock(at = new Date()): () => Date {
  return () => at;
}
