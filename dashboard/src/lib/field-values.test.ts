import { describe, expect, it } from 'vitest';
import { fromInput, toInput } from './field-values.js';

describe('custom field values between the server and the inputs', () => {
  it.each([
    ['text', 'north', 'north'],
    ['text', null, ''],
    ['number', 12.5, '12.5'],
    ['number', undefined, ''],
    ['boolean', true, true],
    ['boolean', null, false],
    ['date', '2026-03-01', '2026-03-01'],
    ['choice', 'north', 'north'],
  ] as const)('%s %j shows as %j', (type, stored, shown) => {
    expect(toInput(type, stored)).toBe(shown);
  });

  it.each([
    ['text', '  north ', 'north'],
    ['text', '', null],
    ['number', '42', 42],
    ['number', '-0.5', -0.5],
    ['number', 'twelve', 'twelve'],
    ['number', ' ', null],
    ['boolean', false, false],
    ['date', '2026-03-01', '2026-03-01'],
    ['choice', '', null],
  ] as const)('%s input %j is sent as %j', (type, input, sent) => {
    expect(fromInput(type, input)).toBe(sent);
  });

  it('round-trips a datetime through the local datetime-local value to the same instant', () => {
    const stored = '2026-03-01T08:30:00.000Z';
    const shown = toInput('datetime', stored);
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromInput('datetime', shown)).toBe(stored);
  });
});
