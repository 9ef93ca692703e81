/**
 * Logs a repeating failure once per interval: a Redis or Postgres outage produces an error per
 * reconnect attempt, and one line every ten seconds says as much as a thousand.
 */
export function throttled<A extends unknown[]>(write: (message: string, ...rest: A) => void, intervalMs = 10_000) {
  const last = new Map<string, number>();
  return (message: string, ...rest: A) => {
    const now = Date.now();
    if (now - (last.get(message) ?? 0) < intervalMs) return;
    last.set(message, now);
    write(message, ...rest);
  };
}
