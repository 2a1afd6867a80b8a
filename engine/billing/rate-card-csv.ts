import { parse } from 'csv-parse/sync';
import type { BillingCategory } from '../../core/db/schema.js';
import { AppError, type FieldError } from '../../core/errors.js';
import { parseMoney } from './money.js';

export const billingCategories = [
  'marketing',
  'utility',
  'authentication',
  'authentication_international',
  'service',
] as const satisfies readonly BillingCategory[];

export interface Rate {
  calling_code: string;
  market: string;
  category: BillingCategory;
  rate_micros: number;
}

/**
 * A rate card as a CSV file, one market a line: `calling_code,market,marketing,utility,
 * authentication,authentication_international,service` (the layout of Meta's published rate
 * card, by calling code). An empty cell means the category has no rate of its own in that market
 * (authentication_international then costs what authentication does). `*` is every other market.
 * Every bad cell is reported with its line, so a whole card is fixed in one go.
 */
export function parseRateCardCsv(text: string): Rate[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new AppError('validation_failed', `the rate card is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...lines] = records;
  const expected = ['calling_code', 'market', ...billingCategories];
  if (!header || header.join(',') !== expected.join(',')) {
    throw new AppError('validation_failed', `the rate card's first line must be: ${expected.join(',')}`, [
      { field: 'header', reason: `must be ${expected.join(',')}` },
    ]);
  }
  const rates: Rate[] = [];
  const errors: FieldError[] = [];
  lines.forEach((cells, index) => {
    const line = index + 2;
    const [code = '', market = ''] = cells;
    if (code !== '*' && !/^\d{1,4}$/.test(code))
      errors.push({ field: `line ${line}`, reason: 'calling_code must be 1-4 digits or *' });
    if (!market) errors.push({ field: `line ${line}`, reason: 'market is empty' });
    billingCategories.forEach((category, i) => {
      const cell = cells[i + 2] ?? '';
      if (cell === '') return;
      try {
        rates.push({ calling_code: code, market, category, rate_micros: parseMoney(cell, category) });
      } catch {
        errors.push({ field: `line ${line}`, reason: `${category} must be an amount such as 0.0379` });
      }
    });
  });
  if (errors.length > 0) throw new AppError('validation_failed', 'the rate card has bad lines', errors);
  return rates;
}
