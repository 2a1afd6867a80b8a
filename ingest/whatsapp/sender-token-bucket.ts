/**
 * Paces requests to one phone number: Meta allows 80 messages/s by default, up to 1,000/s,
 * and answers error 130429 (rate limit hit) beyond that. A token bucket refilled at `ratePerSecond`
 * holding at most `burst` tokens (50 ms worth, at least 1): an idle sender starts at once,
 * and any one-second window holds at most rate + burst - 1 requests (exactly `rate` when
 * the burst is 1, as it is below 40/s).
 *
 * Callers are served one at a time, in order, and tokens follow the real clock when each
 * caller is let through. A late timer or a busy event loop therefore only delays requests;
 * it never squeezes more of them into a second afterwards.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly burst: number;
  private tokens: number;
  private refilledAt = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    burst?: number,
  ) {
    if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    this.intervalMs = 1000 / ratePerSecond;
    this.burst = burst ?? Math.max(1, Math.floor(ratePerSecond / 20));
    this.tokens = this.burst;
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn;
    return turn;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) / this.intervalMs);
      this.refilledAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil((1 - this.tokens) * this.intervalMs)));
    }
  }
}
