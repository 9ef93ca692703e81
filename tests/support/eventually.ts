/**
 * Waits for a condition that another process makes true (a worker commits, a receiver is called),
 * checking it again whenever a short pause has passed. The limit is a safety net against a hang,
 * far above what any machine needs, not a performance expectation: tests must not depend on speed.
 */
export const PATIENCE_MS = 120_000;

export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  patienceMs = PATIENCE_MS,
): Promise<T> {
  const until = Date.now() + patienceMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${patienceMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
