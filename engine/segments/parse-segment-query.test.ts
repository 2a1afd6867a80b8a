import { describe, expect, it } from 'vitest';
import { type CustomFieldType, compileBuilder } from './compile-builder.js';
import { parseSegmentQuery } from './parse-segment-query.js';
import { QueryParseError } from './query-tokens.js';
import type { Builder } from './segment-builder.schema.js';

const fields = new Map<string, CustomFieldType>([
  ['age', 'number'],
  ['district', 'choice'],
  ['nickname', 'text'],
  ['consent', 'boolean'],
  ['due', 'date'],
]);

const and = (...conditions: Builder['conditions']): Builder => ({ kind: 'group', op: 'and', conditions });

describe('segment query language', () => {
  const cases: [string, Builder][] = [
    [
      'age > 18 AND district = "north"',
      and(
        { kind: 'field', key: 'age', op: 'gt', value: 18 },
        { kind: 'field', key: 'district', op: 'eq', value: 'north' },
      ),
    ],
    ['label = "vip"', and({ kind: 'label', op: 'has', label: 'vip' })],
    ['labels != vip', and({ kind: 'label', op: 'has_not', label: 'vip' })],
    ['NOT blocked', and({ kind: 'not', condition: { kind: 'blocked', value: true } })],
    ['blocked = false', and({ kind: 'blocked', value: false })],
    [
      'language != en opt_in = opted_in',
      and({ kind: 'language', op: 'neq', value: 'en' }, { kind: 'opt_in', value: 'opted_in' }),
    ],
    [
      'age >= 18 AND (district = north OR district = "south") AND NOT nickname ~ ann',
      and(
        { kind: 'field', key: 'age', op: 'gte', value: 18 },
        {
          kind: 'group',
          op: 'or',
          conditions: [
            { kind: 'field', key: 'district', op: 'eq', value: 'north' },
            { kind: 'field', key: 'district', op: 'eq', value: 'south' },
          ],
        },
        { kind: 'not', condition: { kind: 'field', key: 'nickname', op: 'contains', value: 'ann' } },
      ),
    ],
    [
      'consent = true OR due = "" OR age != ""',
      {
        kind: 'group',
        op: 'or',
        conditions: [
          { kind: 'field', key: 'consent', op: 'eq', value: true },
          { kind: 'field', key: 'due', op: 'not_set' },
          { kind: 'field', key: 'age', op: 'set' },
        ],
      },
    ],
    [
      'last_message > 2026-01-31',
      and({ kind: 'last_message', period: { type: 'after', date: '2026-01-31' } }),
    ],
    [
      'first_message < 2026-01-01',
      and({ kind: 'first_message', period: { type: 'before', date: '2026-01-01' } }),
    ],
    [
      'replied_to_reminder = 12 button = "yes please" completed_journey = 3',
      and(
        { kind: 'replied_to_reminder', reminderId: '12' },
        { kind: 'pressed_button', value: 'yes please' },
        { kind: 'journey', event: 'completed', journeyId: '3' },
      ),
    ],
  ];
  it.each(cases)('parses %s to the builder tree', (text, tree) => {
    expect(parseSegmentQuery(text, fields)).toEqual(tree);
  });

  it('gives the same SQL as the builder for the same conditions', () => {
    const built = and(
      { kind: 'field', key: 'age', op: 'gt', value: 18 },
      { kind: 'field', key: 'district', op: 'eq', value: 'north' },
    );
    const compiled = compileBuilder(parseSegmentQuery('age > 18 AND district = "north"', fields), fields);
    expect(compiled).toEqual(compileBuilder(built, fields));
    expect(compiled.sql).toBe(`SELECT c.contact_id
FROM contacts c
WHERE TRY_CAST(c.custom_fields->>'age' AS DOUBLE) > 18
  AND (c.custom_fields->>'district') = 'north'`);
    expect(compiled.fieldKeys).toEqual(['age', 'district']);
  });

  const errors: [string, string, number][] = [
    ['age >', 'expected a value', 5],
    ['height > 3', 'no field named height', 0],
    ['age > many', 'age needs a number', 6],
    ['(label = vip', 'expected )', 12],
    ['label > vip', 'use = or != with label', 6],
    ['name = "open', 'unterminated string', 7],
    ['opt_in = maybe', 'opt_in is unknown, opted_in or opted_out', 9],
    ['label = vip )', 'unexpected text', 12],
    ['age ! 3', 'expected != after !', 4],
  ];
  it.each(errors)('refuses %s: %s at offset %d', (text, reason, offset) => {
    const error = (() => {
      try {
        parseSegmentQuery(text, fields);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(QueryParseError);
    expect(error).toMatchObject({ offset, message: `${reason} (at column ${offset + 1})` });
  });
});
