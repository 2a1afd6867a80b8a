import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, expect, it } from 'vitest';
import { warehouseVersion } from '../duckdb/warehouse-schema.js';
import { parquetLayout } from '../tables/parquet-layout.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import type { LogRow } from '../testing/copy-csv.js';
import { memoryWarehouse } from '../testing/memory-warehouse.js';
import { randomHistory } from '../testing/random-history.js';
import { exportParquet } from './export-parquet.js';
import { readManifest, writeManifest } from './parquet-manifest.js';

const dir = await mkdtemp(join(tmpdir(), 'parley-lake-'));
const warehouse = await memoryWarehouse();
const reader = await (await DuckDBInstance.create(':memory:')).connect();
afterAll(async () => {
  await warehouse.close();
  reader.closeSync();
  await rm(dir, { recursive: true, force: true });
});

const history = [...randomHistory({ seed: 9, events: 3000 })].map(
  (e, i): LogRow => ({ id: i + 1, xid: 1, ...e, occurred_at: e.occurred_at, contact_id: e.contact_id }),
);

const lake = (table: string) => `read_parquet('${join(dir, table)}/*/*.parquet', hive_partitioning = true)`;
async function rows(sql: string) {
  return (await reader.runAndReadAll(sql)).getRowObjectsJson();
}

it('exports every table as day-partitioned Parquet that DuckDB reads back with hive partitioning', async () => {
  await warehouse.apply(history.slice(0, 2000));
  const first = await exportParquet(warehouse.connection, dir, warehouseVersion);
  expect(first.from).toBe('1');
  expect(first.to).toBe('2000');
  expect(first.rows.events_raw).toBe(2000);
  for (const table of warehouseTables) {
    const [count] = await warehouse.rows(`SELECT count(*) AS n FROM ${table.name}`);
    expect(first.rows[table.name], table.name).toBe(Number(count?.n));
  }
  const partitions = (await readdir(join(dir, 'events_raw'))).sort();
  expect(partitions[0]).toMatch(/^date=2026-11-2\d$/);
  const byDay = await rows(
    `SELECT date::VARCHAR AS day, count(*) AS n FROM ${lake('events_raw')} GROUP BY 1 ORDER BY 1`,
  );
  const expected = await warehouse.rows(
    `SELECT CAST((occurred_at AT TIME ZONE 'UTC') AS DATE)::VARCHAR AS day, count(*) AS n FROM events_raw GROUP BY 1 ORDER BY 1`,
  );
  expect(byDay).toEqual(expected);
  // The files' Parquet types are the ones the layout documents.
  const file = join(dir, 'messages', partitions[0]!);
  const schema = await rows(
    `SELECT name, type, converted_type FROM parquet_schema('${join(file, (await readdir(file))[0]!)}') WHERE name <> 'duckdb_schema'`,
  );
  expect(schema).toEqual(
    parquetLayout(warehouseTables[0]!).columns.map((c) => ({
      name: c.name,
      type: c.physicalType,
      converted_type: c.convertedType,
    })),
  );
});

it('exports only what changed since the last run; the latest row per key of a state table is the current state', async () => {
  const nothing = await exportParquet(warehouse.connection, dir, warehouseVersion);
  expect(nothing).toEqual({ from: null, to: null, rows: {} });
  await warehouse.apply(history.slice(2000));
  const second = await exportParquet(warehouse.connection, dir, warehouseVersion);
  expect([second.from, second.to, second.rows.events_raw]).toEqual(['2001', '3000', 1000]);
  expect(
    await rows(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM ${lake('events_raw')}`),
  ).toEqual([{ n: '3000', d: '3000' }]);
  const latest = await rows(`SELECT * EXCLUDE (date) FROM ${lake('messages')}
    QUALIFY row_number() OVER (PARTITION BY message_id ORDER BY updated_log_position DESC) = 1 ORDER BY message_id`);
  expect(latest).toEqual(await warehouse.rows('SELECT * FROM messages ORDER BY message_id'));
  const manifest = await readManifest(dir);
  expect(manifest.exported_position).toBe('3000');
  expect(manifest.runs.map((r) => [r.from, r.to])).toEqual([
    ['1', '2000'],
    ['2001', '3000'],
  ]);
});

it('undoes the files of a run that crashed before its manifest was written', async () => {
  const manifest = await readManifest(dir);
  const orphan = join(dir, 'events_raw', 'date=2026-11-20', 'part-3001-3005-0.parquet');
  await mkdir(join(dir, 'events_raw', 'date=2026-11-20'), { recursive: true });
  await writeFile(orphan, 'half-written');
  await writeManifest(dir, { ...manifest, pending: { from: '3001', to: '3005' } });
  expect(await exportParquet(warehouse.connection, dir, warehouseVersion)).toEqual({
    from: null,
    to: null,
    rows: {},
  });
  expect(existsSync(orphan)).toBe(false);
  expect((await readManifest(dir)).pending).toBeUndefined();
  await expect(exportParquet(warehouse.connection, dir, 'another-version')).rejects.toThrow(
    `holds an export of warehouse version ${warehouseVersion}`,
  );
});

it('rewrites the earlier files holding an erased person, keeping their rows, and records it in the manifest', async () => {
  const person = history.find((e) => e.type === 'message.received' && e.contact_id !== null)!.contact_id!;
  const waId = `2547${String(person).padStart(8, '0')}`;
  const everywhere = async () => {
    const found: string[] = [];
    for (const table of warehouseTables) {
      if (!existsSync(join(dir, table.name))) continue;
      const text = table.columns.map((c) => `coalesce(${c.name}::VARCHAR, '')`).join(` || '|' || `);
      const [hit] = await rows(
        `SELECT count(*) AS n FROM ${lake(table.name)} WHERE (${text}) LIKE '%${waId}%'`,
      );
      if (hit!.n !== '0') found.push(table.name);
    }
    return found;
  };
  const counts = () =>
    rows(
      `SELECT (SELECT count(DISTINCT message_id) FROM ${lake('messages')}) AS messages, (SELECT count(*) FROM ${lake('events_raw')}) AS events`,
    );
  expect(await everywhere()).toEqual(['messages', 'contacts', 'events_raw']);
  const before = await counts();

  await warehouse.apply([
    {
      id: 3001,
      xid: 1,
      type: 'contact.erased',
      occurred_at: '2026-11-30T00:00:00Z',
      contact_id: person,
      payload: { by: 'system' },
    },
  ]);
  const run = await exportParquet(warehouse.connection, dir, warehouseVersion);
  expect([run.from, run.to]).toEqual(['3001', '3001']);
  expect(await everywhere()).toEqual([]);
  expect(await counts()).toEqual([
    { messages: before[0]!.messages, events: String(Number(before[0]!.events) + 1) },
  ]);
  const texts = await rows(
    `SELECT count(*) FILTER (WHERE text IS NOT NULL) AS texts FROM ${lake('messages')} WHERE contact_id = ${person}`,
  );
  expect(texts).toEqual([{ texts: '0' }]);
  const erasures = (await readManifest(dir)).runs.at(-1)?.erasures;
  expect(erasures).toEqual([{ contact_id: String(person), log_position: '3001', files: expect.any(Number) }]);
  expect(erasures![0]!.files).toBeGreaterThan(3);
  // The lake still gives the current state of every row.
  const latest = await rows(`SELECT * EXCLUDE (date) FROM ${lake('messages')}
    QUALIFY row_number() OVER (PARTITION BY message_id ORDER BY updated_log_position DESC) = 1 ORDER BY message_id`);
  expect(latest).toEqual(await warehouse.rows('SELECT * FROM messages ORDER BY message_id'));
});

it('rewrites the earlier files naming a merged person with the survivor, drops their contacts rows, like the mirror', async () => {
  const erased = history.find((e) => e.type === 'message.received' && e.contact_id !== null)!.contact_id!;
  const talkers = [
    ...new Set(
      history.filter((e) => e.type === 'message.received' && e.contact_id !== null).map((e) => e.contact_id!),
    ),
  ].filter((id) => id !== erased);
  // Two merges in one run, the second merging the first's survivor: both people end up in the third.
  const [a, b, c] = talkers as [number, number, number];
  const named = async (id: number) => {
    const [hit] = await rows(
      `SELECT (SELECT count(*) FROM ${lake('messages')} WHERE contact_id = ${id}) +
              (SELECT count(*) FROM ${lake('contacts')} WHERE contact_id = ${id}) AS n`,
    );
    return Number(hit!.n);
  };
  expect(await named(a)).toBeGreaterThan(0);
  expect(await named(b)).toBeGreaterThan(0);
  const merge = (id: number, merged: number, survivor: number) => ({
    id,
    xid: 1,
    type: 'contact.merged',
    occurred_at: '2026-11-30T01:00:00Z',
    contact_id: survivor,
    payload: { surviving_contact_id: String(survivor), merged_contact_id: String(merged), by: 'whatsapp' },
  });
  await warehouse.apply([merge(3002, a, b), merge(3003, b, c)]);
  const run = await exportParquet(warehouse.connection, dir, warehouseVersion);
  expect([run.from, run.to]).toEqual(['3002', '3003']);
  expect([await named(a), await named(b)]).toEqual([0, 0]);
  const manifestRun = (await readManifest(dir)).runs.at(-1)!;
  expect(manifestRun.merges).toBe(2);
  expect(manifestRun.merged_files).toBeGreaterThan(0);
  // Each table of the lake, latest row per key for state tables, equals the mirror.
  const latest = (table: string, key: string) =>
    rows(`SELECT * EXCLUDE (date) FROM ${lake(table)}
      QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY updated_log_position DESC) = 1 ORDER BY ${key}`);
  expect(await latest('messages', 'message_id')).toEqual(
    await warehouse.rows('SELECT * FROM messages ORDER BY message_id'),
  );
  expect(await latest('contacts', 'contact_id')).toEqual(
    await warehouse.rows('SELECT * FROM contacts ORDER BY contact_id'),
  );
  expect(await rows(`SELECT * EXCLUDE (date) FROM ${lake('message_statuses')} ORDER BY ALL`)).toEqual(
    await warehouse.rows('SELECT * FROM message_statuses ORDER BY ALL'),
  );
  // Running again rewrites nothing: no file names a merged person any more.
  const again = await exportParquet(warehouse.connection, dir, warehouseVersion);
  expect(again.from).toBeNull();
});
