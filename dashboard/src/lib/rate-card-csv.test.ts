import { describe, expect, it } from 'vitest';
import { rateCardCsv } from './rate-card-csv.js';

describe('a rate card as CSV', () => {
  it('writes a line per market with every category in order, blanks for missing ones, quoting commas', () => {
    expect(
      rateCardCsv([
        { calling_code: '27', market: 'South Africa', category: 'marketing', rate: '0.0379' },
        { calling_code: '27', market: 'South Africa', category: 'utility', rate: '0.0076' },
        { calling_code: '*', market: 'Other, rest of world', category: 'utility', rate: '0.01' },
        { calling_code: '27', market: 'South Africa', category: 'service', rate: '0.00' },
      ]),
    ).toBe(
      'calling_code,market,marketing,utility,authentication,authentication_international,service\n' +
        '27,South Africa,0.0379,0.0076,,,0.00\n' +
        '*,"Other, rest of world",,0.01,,,\n',
    );
  });
});
