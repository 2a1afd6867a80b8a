import { AppError } from '../../core/errors.js';

/** Millionths of a currency unit per unit: rates such as 0.0379 USD are exact integers. */
export const MICROS_PER_UNIT = 1_000_000;

/**
 * A decimal amount as people write it ('12.5', '0.0379') in micros, read from its digits so
 * that no float rounding creeps in. At most six decimals; `field` names the input in errors.
 */
export function parseMoney(value: string, field: string): number {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!match) {
    throw new AppError('validation_failed', `${field} must be an amount such as 12.50 (at most 6 decimals)`, [
      { field, reason: 'must be an amount such as 12.50 (at most 6 decimals)' },
    ]);
  }
  return Number(match[1]) * MICROS_PER_UNIT + Number((match[2] ?? '').padEnd(6, '0'));
}

/** Micros as a decimal string with at least two decimals ('12.50', '0.0379', '-3.00'). */
export function formatMoney(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const units = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT)
    .padStart(6, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0');
  return `${sign}${units}.${fraction}`;
}
