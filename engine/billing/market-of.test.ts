import { describe, expect, it } from 'vitest';
import { callingCodeOf } from './market-of.js';

describe('callingCodeOf', () => {
  it.each([
    [{ phone: '27821112222' }, '27'],
    [{ phone: '+254712345678' }, '254'],
    [{ phone: '14155550100' }, '1'],
    [{ phone: null, bsuid: 'KE.7730591826604417' }, '254'],
    [{ phone: '27821112222', bsuid: 'KE.7730591826604417' }, '27'],
    [{ phone: null, bsuid: 'XX.1' }, null],
    [{}, null],
  ])('%j -> %s', (person, code) => {
    expect(callingCodeOf(person)).toBe(code);
  });
});
