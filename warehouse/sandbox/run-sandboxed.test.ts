import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { type Mirror, startMirror } from '../duckdb/mirror.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { insertHistory } from '../testing/log-writer.js';
import { randomHistory } from '../testing/random-history.js';
import { SqlError } from './sql-error.js';

const database = await createTestDatabase({ max: 4 });
let dir: string;
let mirror: Mirror;
const countsSql = `SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM contacts) AS contacts,
  (SELECT log_position FROM _mirror_cursor) AS position`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-sandbox-'));
  await insertHistory(database.pool, [...randomHistory({ seed: 5, events: 300 })]);
  mirror = await startMirror({ databaseUrl: database.url, dataDir: dir, pageSize: 100 });
  await mirror.drain();
});
afterAll(async () => {
  await mirror?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(sql: string, timeoutMs = 2_000): Promise<SqlError> {
  const error = await mirror.sandbox(sql, { canReadPii: false, timeoutMs }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SqlError)) throw new Error(`expected a SqlError for ${sql}, got ${String(error)}`);
  return error;
}

const target = () => join(dir, 'stolen.csv');
const reach = (name: string) =>
  `name tables without a schema or catalogue (${name}): only the warehouse tables can be read`;
const sized = (name: string) =>
  `${name}() may build at most 100,000 characters or items in the SQL sandbox, with constant sizes`;
const notSelect = 'only a single SELECT statement is allowed (no writes, DDL, PRAGMA, SET, COPY...)';
const hostile: [string, () => string, RegExp | string][] = [
  ['INSERT', () => `INSERT INTO contacts (contact_id) VALUES (999999)`, notSelect],
  ['UPDATE', () => `UPDATE contacts SET name = 'x'`, notSelect],
  ['DELETE', () => `DELETE FROM messages`, notSelect],
  ['CREATE', () => `CREATE TABLE evil AS SELECT 1`, notSelect],
  ['DROP', () => `DROP TABLE messages`, notSelect],
  ['ATTACH', () => `ATTACH '${join(dir, 'other.duckdb')}' AS other`, notSelect],
  ['INSTALL', () => `INSTALL httpfs`, notSelect],
  ['LOAD', () => `LOAD httpfs`, notSelect],
  ['COPY', () => `COPY (SELECT * FROM contacts) TO '${target()}'`, notSelect],
  ['PRAGMA', () => `PRAGMA database_list`, notSelect],
  ['SET', () => `SET enable_external_access = true`, notSelect],
  [
    'read_csv of a file',
    () => `SELECT * FROM read_csv('/etc/passwd')`,
    'the table function read_csv() is not allowed in the SQL sandbox',
  ],
  [
    'a file named as a table',
    () => `SELECT * FROM '/etc/passwd'`,
    'Catalog Error: Table with name /etc/passwd does not exist!',
  ],
  [
    'read_parquet of a URL',
    () => `SELECT * FROM read_parquet('https://example.com/data.parquet')`,
    'the table function read_parquet() is not allowed in the SQL sandbox',
  ],
  [
    'the mirror cursor table',
    () => `SELECT log_position AS contact_id FROM _mirror_cursor`,
    /^Catalog Error: Table with name _mirror_cursor does not exist!/,
  ],
  ['the attached warehouse by name', () => `SELECT * FROM warehouse.contacts`, reach('contacts')],
  ['the attached warehouse by full name', () => `SELECT * FROM warehouse.main.contacts`, reach('contacts')],
  ['the unmasked catalogue', () => `SELECT name AS contact_id FROM memory.full.contacts`, reach('contacts')],
  [
    'query() running other SQL',
    () => `SELECT * FROM query('SELECT * FROM warehouse.contacts')`,
    'the table function query() is not allowed in the SQL sandbox',
  ],
  [
    'the catalogue functions',
    () => `SELECT sql FROM duckdb_views()`,
    'the table function duckdb_views() is not allowed in the SQL sandbox',
  ],
  [
    'a recursive CTE',
    () => `WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t) SELECT * FROM t`,
    'recursive CTEs (WITH RECURSIVE) are not allowed in the SQL sandbox',
  ],
  ['a gigabyte string', () => `SELECT length(repeat('x', 1000000000)) AS contact_id`, sized('repeat')],
  [
    'strings sized by data',
    () => `SELECT sum(length(repeat('x', 100000000 + range))) FROM range(100)`,
    sized('repeat'),
  ],
  ['a list of a billion items', () => `SELECT len(range(1000000000)) AS contact_id`, sized('range')],
  ['a padded text', () => `SELECT lpad(name, 1000000000, 'x') FROM contacts`, sized('lpad')],
  ['a wide printf', () => `SELECT printf('%1000000000d', 1)`, sized('printf')],
  [
    'two SELECTs',
    () => `SELECT 1 AS contact_id; SELECT 2`,
    'exactly one SELECT statement is allowed, found 2',
  ],
  ['a SELECT followed by a DROP', () => `SELECT 1 AS contact_id; DROP TABLE messages`, notSelect],
  ['a statement hidden after a comment', () => `SELECT 1 -- harmless\n; DELETE FROM messages`, notSelect],
  [
    'a cross join designed to run forever',
    () =>
      `SELECT count(*) FROM range(100000000) a CROSS JOIN range(100000000) b WHERE a.range * b.range = -1`,
    'the query ran longer than 300 ms and was stopped',
  ],
];

describe('SQL sandbox', () => {
  it.each(hostile)('refuses %s with a clear error and changes nothing', async (_name, sql, message) => {
    const before = await mirror.query(countsSql);
    const error = await refusal(sql(), 300);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.httpStatus).toBe(400);
    expect(await mirror.query(countsSql)).toEqual(before);
    expect(existsSync(target())).toBe(false);
    expect(existsSync(join(dir, 'other.duckdb'))).toBe(false);
    // The sandbox still works after a refusal.
    const ok = await mirror.sandbox('SELECT count(*)::INTEGER AS n FROM messages', { canReadPii: false });
    expect(ok.rows).toEqual([{ n: Number(before[0]?.messages) }]);
  });

  it('returns rows, columns, the row limit and the view position with its time', async () => {
    const [counts] = await mirror.query(countsSql);
    const result = await mirror.sandbox('SELECT range::INTEGER AS n FROM range(25) ORDER BY n', {
      canReadPii: false,
      rowLimit: 10,
    });
    expect(result.columns).toEqual([{ name: 'n', type: 'INTEGER' }]);
    expect(result.rows).toEqual(Array.from({ length: 10 }, (_, n) => ({ n })));
    expect(result.truncated).toBe(true);
    expect(result.logPosition).toBe(String(counts?.position));
    expect(Date.parse(result.asOf)).toBeLessThanOrEqual(Date.now());
  });

  it('masks every personal column of every table for a caller without pii.read', async () => {
    const compared: string[] = [];
    for (const table of warehouseTables) {
      const key = table.key.join(', ');
      // Custom fields and changed values keep their non-personal parts (api/trpc/routers/segments-pii.test.ts).
      const whole = table.columns.filter(
        (c) => c.pii && c.pii !== 'custom-fields' && c.pii !== 'field-values',
      );
      for (const column of whole) {
        const sql = `SELECT ${column.name}::VARCHAR AS v FROM ${table.name} ORDER BY ${key}`;
        const real = (await mirror.sandbox(sql, { canReadPii: true })).rows;
        const masked = (await mirror.sandbox(sql, { canReadPii: false })).rows;
        expect(masked).toHaveLength(real.length);
        const same = real.filter((row, i) => row.v !== null && row.v === masked[i]?.v && row.v !== '{}');
        expect({ column: `${table.name}.${column.name}`, same }).toEqual({
          column: `${table.name}.${column.name}`,
          same: [],
        });
        if (real.some((row) => row.v !== null)) compared.push(`${table.name}.${column.name}`);
      }
    }
    // The random history holds values in these, so the comparison above meant something.
    expect(compared).toEqual(
      expect.arrayContaining([
        'messages.wa_id',
        'messages.text',
        'contacts.wa_id',
        'contacts.name',
        'events_raw.payload',
      ]),
    );
  });

  it('reports the line and column of a syntax error and of a binder error', async () => {
    const syntax = await refusal('SELECT contact_id\nFROM contacts\nWHERE name = = 1');
    expect(syntax.message).toBe('Parser Error: syntax error at or near "="');
    expect(syntax.position).toEqual({ line: 3, column: 14 });
    const binder = await refusal('SELECT contact_id,\n  no_such_column\nFROM contacts');
    expect(binder.message).toMatch(/^Binder Error: Referenced column "no_such_column" not found/);
    expect(binder.position).toEqual({ line: 2, column: 3 });
    expect(binder.toJSON()).toMatchObject({ code: 'bad_request', line: 2, column: 3 });
  });
});
