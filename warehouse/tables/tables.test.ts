import { readFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { bigQuerySchema } from './bigquery-schema.js';
import { dataDictionaryMarkdown, dataDictionaryPath } from './data-dictionary.js';
import { duckdbDdl } from './duckdb-ddl.js';
import { defineTable } from './table-definition.js';
import { warehouseTables } from './warehouse-tables.js';

describe('warehouse table definitions', () => {
  it('lists every table and gives every column a description', () => {
    expect(warehouseTables.map((t) => t.name)).toEqual([
      'messages',
      'message_statuses',
      'contacts',
      'contact_changes',
      'conversations',
      'journey_events',
      'charges',
      'reminder_sends',
      'template_events',
      'events_raw',
    ]);
    const undocumented = warehouseTables.flatMap((t) =>
      t.columns.filter((c) => c.description.trim().length < 10).map((c) => `${t.name}.${c.name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('marks every column that holds personal data, so the masked catalogue covers it', () => {
    // Names that mean personal data wherever they appear; a new column named so needs a pii marker.
    const personal =
      /(^|_)(wa_id|bsuid|username|phone|name|text|caption|filename|payload|latitude|longitude|details|email)$|^(old|new)_value$|^custom_fields$/;
    const notPersonal = new Set([
      'messages.template_name',
      'messages.button_text',
      'messages.button_payload',
      'template_events.template_name',
    ]);
    const unmarked = warehouseTables.flatMap((t) =>
      t.columns
        .filter((c) => personal.test(c.name) && !c.pii && !notPersonal.has(`${t.name}.${c.name}`))
        .map((c) => `${t.name}.${c.name}`),
    );
    expect(unmarked).toEqual([]);
  });

  it('rejects a definition with an undescribed column or a missing partition column', () => {
    const base = {
      name: 'example',
      description: 'An example table for this test.',
      kind: 'log' as const,
      key: ['id'],
      derivedFrom: ['x.y'],
      partitionColumn: 'at',
      clusterColumns: ['id'],
      positionColumn: 'id',
    };
    expect(() =>
      defineTable({ ...base, columns: [{ name: 'id', type: 'int64', nullable: false, description: '' }] }),
    ).toThrow('warehouse table example: column id has no description; partition column at is not a column');
  });

  it('docs/warehouse.md is generated from the definitions (run `npm run warehouse -- docs`)', async () => {
    expect(await readFile(dataDictionaryPath, 'utf8')).toBe(dataDictionaryMarkdown(warehouseTables));
  });

  it('generates DuckDB DDL that creates every column with its comment', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const table of warehouseTables)
      for (const statement of duckdbDdl(table)) await connection.run(statement);
    const reader = await connection.runAndReadAll(
      `SELECT table_name, count(*) AS n, count(comment) AS described FROM duckdb_columns() WHERE NOT internal AND database_name = 'memory' GROUP BY 1 ORDER BY 1`,
    );
    expect(reader.getRowObjectsJson()).toEqual(
      [...warehouseTables]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => ({
          table_name: t.name,
          n: String(t.columns.length),
          described: String(t.columns.length),
        })),
    );
    const notNull = await connection.runAndReadAll(
      `SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = 'messages' AND column_name IN ('message_id', 'external_id') ORDER BY 1`,
    );
    expect(notNull.getRows()).toEqual([
      ['external_id', true],
      ['message_id', false],
    ]);
    connection.closeSync();
    instance.closeSync();
  });

  it('generates BigQuery schemas partitioned by day and clustered', () => {
    const spec = bigQuerySchema(warehouseTables.find((t) => t.name === 'message_statuses')!);
    expect(spec.timePartitioning).toEqual({ type: 'DAY', field: 'status_at' });
    expect(spec.clustering).toEqual({ fields: ['contact_id'] });
    expect(spec.schema.fields.slice(0, 3)).toEqual([
      {
        name: 'event_id',
        type: 'INT64',
        mode: 'REQUIRED',
        description: 'Id of the log event this row comes from (events.id in Postgres).',
      },
      expect.objectContaining({ name: 'log_position', type: 'INT64', mode: 'REQUIRED' }),
      expect.objectContaining({ name: 'message_id', type: 'INT64', mode: 'NULLABLE' }),
    ]);
    const raw = bigQuerySchema(warehouseTables.find((t) => t.name === 'events_raw')!);
    expect(raw.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'event_id:INT64',
      'log_position:INT64',
      'type:STRING',
      'schema_version:INT64',
      'occurred_at:TIMESTAMP',
      'recorded_at:TIMESTAMP',
      'contact_id:INT64',
      'channel:STRING',
      'source:STRING',
      'idempotency_key:STRING',
      'payload:JSON',
    ]);
  });
});
