import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { type CustomFieldType, compileBuilder } from './compile-builder.js';
import type { Builder, Condition } from './segment-builder.schema.js';

const fields = new Map<string, CustomFieldType>([
  ['age', 'number'],
  ['nickname', 'text'],
  ['consent', 'boolean'],
  ['due', 'date'],
]);
const one = (condition: Condition): Builder => ({ kind: 'group', op: 'and', conditions: [condition] });

/**
 * Labels and opt-in are contact columns the mirror's contacts table may not have yet;
 * until it does, these conditions are counted over a contacts table
 * of that shape here, with hand-written SQL beside them.
 */
describe('compileBuilder', () => {
  it('counts label and opt-in conditions like hand-written SQL', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(`CREATE TABLE contacts AS SELECT range AS contact_id,
      CASE WHEN range % 3 = 0 THEN ['vip'] WHEN range % 3 = 1 THEN ['mother', 'vip'] ELSE NULL END::VARCHAR[] AS labels,
      ['unknown', 'opted_in', 'opted_out'][range % 3 + 1] AS opt_in FROM range(30)`);
    const count = async (sql: string) =>
      Number((await db.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]?.[0]);
    const cases: [Condition, string, number][] = [
      [
        { kind: 'label', op: 'has', label: 'vip' },
        `SELECT contact_id FROM contacts WHERE 'vip' IN labels`,
        20,
      ],
      [
        { kind: 'label', op: 'has', label: 'mother' },
        `SELECT contact_id FROM contacts WHERE range % 3 = 1`.replace('range', 'contact_id'),
        10,
      ],
      [
        { kind: 'label', op: 'has_not', label: 'vip' },
        `SELECT contact_id FROM contacts WHERE labels IS NULL`,
        10,
      ],
      [
        { kind: 'opt_in', value: 'opted_in' },
        `SELECT contact_id FROM contacts WHERE opt_in = 'opted_in'`,
        10,
      ],
    ];
    for (const [condition, hand, expected] of cases) {
      const { sql } = compileBuilder(one(condition), fields);
      expect([await count(sql), await count(hand)]).toEqual([expected, expected]);
    }
    db.closeSync();
    instance.closeSync();
  });

  it('escapes every value as a literal: quotes cannot end the string', () => {
    const hostile = "vip'); DROP TABLE contacts; --";
    const { sql } = compileBuilder(one({ kind: 'label', op: 'has', label: hostile }), fields);
    expect(sql).toBe(
      `SELECT c.contact_id\nFROM contacts c\nWHERE list_contains(c.labels, 'vip''); DROP TABLE contacts; --')`,
    );
  });

  it('formats nested groups and NOT with indentation', () => {
    const { sql } = compileBuilder(
      {
        kind: 'group',
        op: 'and',
        conditions: [
          { kind: 'field', key: 'consent', op: 'eq', value: true },
          {
            kind: 'group',
            op: 'or',
            conditions: [
              { kind: 'field', key: 'due', op: 'lt', value: '2026-12-01' },
              { kind: 'not', condition: { kind: 'field', key: 'nickname', op: 'set' } },
            ],
          },
        ],
      },
      fields,
    );
    expect(sql).toBe(`SELECT c.contact_id
FROM contacts c
WHERE TRY_CAST(c.custom_fields->>'consent' AS BOOLEAN) = TRUE
  AND (
    TRY_CAST(c.custom_fields->>'due' AS DATE) < DATE '2026-12-01'
    OR NOT ((c.custom_fields->>'nickname') IS NOT NULL)
  )`);
  });

  const refusals: [Condition, string][] = [
    [
      { kind: 'field', key: 'height', op: 'eq', value: 3 },
      'field height: there is no custom field with this key',
    ],
    [{ kind: 'field', key: 'age', op: 'eq', value: 'old' }, 'field age: old is not a number'],
    [
      { kind: 'field', key: 'age', op: 'contains', value: '1' },
      'field age: contains only applies to text fields, not number',
    ],
    [
      { kind: 'field', key: 'consent', op: 'gt', value: true },
      'field consent: gt does not apply to a boolean field',
    ],
    [
      { kind: 'field', key: 'due', op: 'eq', value: 'tomorrow' },
      'field due: tomorrow is not a date (YYYY-MM-DD)',
    ],
    [{ kind: 'field', key: 'nickname', op: 'eq' }, 'field nickname: operator eq needs a value'],
  ];
  it.each(refusals)('refuses %o: %s', (condition, message) => {
    const error = (() => {
      try {
        compileBuilder(one(condition), fields);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed', message });
  });
});

describe('compileBuilder: identities and marketing opt-in', () => {
  it('selects people by marketing opt-in and by the identities they have', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(`CREATE TABLE contacts AS SELECT range AS contact_id,
      CASE WHEN range % 2 = 0 THEN '2547000000' || range END AS wa_id,
      CASE WHEN range % 3 = 0 THEN 'KE.10000000' || range END AS bsuid,
      CASE WHEN range % 5 = 0 THEN 'user' || range END AS username,
      ['unknown', 'opted_in', 'opted_out'][range % 3 + 1] AS marketing_opt_in FROM range(30)`);
    const ids = async (condition: Condition) => {
      const { sql } = compileBuilder(one(condition), fields);
      const rows = (await db.runAndReadAll(`SELECT contact_id FROM (${sql}) ORDER BY 1`)).getRows();
      return rows.map((r) => Number(r[0]));
    };
    expect(await ids({ kind: 'marketing_opt_in', value: 'opted_out' })).toEqual([
      2, 5, 8, 11, 14, 17, 20, 23, 26, 29,
    ]);
    expect(await ids({ kind: 'identity', identity: 'username', present: true })).toEqual([
      0, 5, 10, 15, 20, 25,
    ]);
    // Reachable by BSUID only: no phone number.
    const noPhone = await ids({ kind: 'identity', identity: 'phone', present: false });
    expect(noPhone).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
    expect(await ids({ kind: 'identity', identity: 'bsuid', present: true })).toEqual([
      0, 3, 6, 9, 12, 15, 18, 21, 24, 27,
    ]);
  });
});
