import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from './money.js';

describe('money', () => {
  it.each([
    ['12.50', 12_500_000, '12.50'],
    ['0.0379', 37_900, '0.0379'],
    ['7', 7_000_000, '7.00'],
    ['0.000001', 1, '0.000001'],
    [' 100.25 ', 100_250_000, '100.25'],
  ])('%s is %i micros and reads back as %s', (text, micros, formatted) => {
    expect(parseMoney(text, 'amount')).toBe(micros);
    expect(formatMoney(micros)).toBe(formatted);
  });

  it.each(['', '-1', '1.0000001', '1,5', 'abc', '1e3'])('refuses %j with the field named', (text) => {
    expect(() => parseMoney(text, 'amount')).toThrow('amount must be an amount such as 12.50');
  });

  it('formats a negative balance', () => {
    expect(formatMoney(-3_000_000)).toBe('-3.00');
  });
});
