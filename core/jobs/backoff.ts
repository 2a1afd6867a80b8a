/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): a uniform delay in [0, min(cap, base * 2^(attempt-1))). Full jitter spreads
 * retries of many messages that failed together (a 130429 burst) instead of syncing them.
 */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return random() * Math.min(capMs, baseMs * 2 ** (Math.max(1, attempt) - 1));
}
