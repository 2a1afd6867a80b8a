import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs (full jitter)', () => {
  it.each([
    [1, 1, 1000],
    [2, 1, 2000],
    [3, 0.5, 2000],
    [10, 1, 512_000],
    [11, 1, 600_000],
    [30, 0.25, 150_000],
    [4, 0, 0],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, 1000, 600_000, () => random)).toBe(expected);
  });
});
