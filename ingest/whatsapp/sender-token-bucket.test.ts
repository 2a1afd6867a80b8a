import { describe, expect, it } from 'vitest';
import { TokenBucket } from './sender-token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces at the rate, serving concurrent callers in order', async () => {
    const bucket = new TokenBucket(50); // burst 2, one token every 20 ms
    const start = performance.now();
    const order: number[] = [];
    const times = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        bucket.take().then(() => {
          order.push(i);
          return performance.now() - start;
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(times[1]!).toBeLessThan(15);
    // 28 requests after the burst need 28 intervals of 20 ms.
    expect(times[29]!).toBeGreaterThanOrEqual(28 * 20 - 1);
    const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 100).length));
    expect(most).toBeLessThanOrEqual(2 + 5);
  });
});
