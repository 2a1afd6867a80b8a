/**
 * When to try a failed delivery again: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then every 6 h,
 * and never more than 24 h after the first attempt (or the last replay), like the
 * at-least-once retries Meta's own webhooks make (Meta retries a failed webhook with
 * decreasing frequency for up to 7 days; a day suits integrators' receivers).
 */
export interface RetryPolicy {
  delaysMs: readonly number[];
  windowMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  delaysMs: [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000],
  windowMs: 24 * 3_600_000,
};

/** The next attempt after `failedAttempts` failures, or null when the window is over. */
export function nextAttemptAt(
  policy: RetryPolicy,
  windowStartedAt: Date,
  failedAttempts: number,
  now: Date,
): Date | null {
  const delay =
    policy.delaysMs[Math.min(failedAttempts, policy.delaysMs.length) - 1] ?? policy.delaysMs.at(-1)!;
  const next = now.getTime() + delay;
  return next > windowStartedAt.getTime() + policy.windowMs ? null : new Date(next);
}
