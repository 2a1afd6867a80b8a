import { describe, expect, it } from 'vitest';
import { rfc3339Micros, rfc3339Schema, rfc3339ToUtc } from './rfc3339.schema.js';

describe('rfc3339Schema', () => {
  it.each([
    // Python's datetime.isoformat() of an aware UTC time: microseconds and +00:00.
    ['2026-12-03T12:28:32.507736+00:00', '2026-12-03T12:28:32.507736Z'],
    ['2026-12-03T12:28:32Z', '2026-12-03T12:28:32.000000Z'],
    ['2026-12-03T14:28:32.5+02:00', '2026-12-03T12:28:32.500000Z'],
    ['2026-12-03t07:58:32.123456789-04:30', '2026-12-03T12:28:32.123456Z'],
    ['2026-12-03 12:28:32z', '2026-12-03T12:28:32.000000Z'],
    ['2024-02-29T00:00:00+14:00', '2024-02-28T10:00:00.000000Z'],
    ['1969-12-31T23:59:59.999999Z', '1969-12-31T23:59:59.999999Z'],
  ])('accepts %s as %s', (text, utc) => {
    expect(rfc3339Schema.safeParse(text).success).toBe(true);
    expect(rfc3339ToUtc(text)).toBe(utc);
  });

  it.each([
    '2026-12-03',
    '2026-12-03T12:28:32',
    '2026-12-03T12:28Z',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-12-03T24:00:00Z',
    '2026-12-03T12:28:60Z',
    '2026-12-03T12:28:32+0000',
    '2026-12-03T12:28:32+24:00',
    '2026-12-03T12:28:32.Z',
    ' 2026-12-03T12:28:32Z',
  ])('refuses %s with a reason', (text) => {
    const result = rfc3339Schema.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'not an RFC 3339 time: use e.g. 2026-12-03T12:28:32.507736+00:00 or 2026-12-03T12:28:32Z',
    );
  });

  it('keeps microseconds exactly', () => {
    expect(rfc3339Micros('2026-12-03T12:28:32.507736+00:00')).toBe(1_796_300_912_507_736n);
  });
});
