/**
 * Wait before the next attempt of a request that failed its `attempts`-th attempt:
 * base · 2^(attempts − 1), so 1, 2, 4 minutes with a one-minute base (seed 004).
 */
export function backoffDelayMs(baseMs: number, attempts: number): number {
  return baseMs * 2 ** Math.max(0, attempts - 1);
}
