import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, nextAttemptAt } from './retry-schedule.js';

describe('the retry schedule', () => {
  it('waits 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then 6 h, and stops 24 h after the first attempt', () => {
    const start = new Date('2030-01-01T00:00:00Z');
    const waits: number[] = [];
    let now = start;
    for (let failed = 1; ; failed++) {
      const next = nextAttemptAt(defaultRetryPolicy, start, failed, now);
      if (!next) break;
      waits.push((next.getTime() - now.getTime()) / 1000);
      now = next;
    }
    expect(waits).toEqual([10, 60, 300, 1800, 7200, 21600, 21600, 21600]);
    // The last attempt is at 20 h 36 min 10 s; the next one would pass 24 h.
    expect((now.getTime() - start.getTime()) / 1000).toBe(74170);
  });
});
