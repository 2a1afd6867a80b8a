import { describe, expect, it } from 'vitest';
import { replaceNul } from './replace-nul.js';

describe('replaceNul', () => {
  it.each([
    ['plain', 'hello', 'hello'],
    ['one NUL', 'a\u0000b', 'a\uFFFDb'],
    ['only NULs', '\u0000\u0000', '\uFFFD\uFFFD'],
    ['number', 7, 7],
    ['null', null, null],
    ['nested', { a: ['x\u0000', { 'k\u0000': 'v' }], n: 1 }, { a: ['x\uFFFD', { 'k\uFFFD': 'v' }], n: 1 }],
  ])('%s', (_name, input, expected) => {
    expect(replaceNul(input)).toEqual(expected);
  });

  it('returns a value without NUL unchanged (same reference)', () => {
    const value = { a: [1, 'b'], c: { d: 'e' } };
    expect(replaceNul(value)).toBe(value);
  });
});
