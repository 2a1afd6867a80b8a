import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

/** A field of a table resource (https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TableFieldSchema). */
export interface FakeField {
  name: string;
  type: string;
  mode?: string;
  description?: string;
}

export interface FakeTable {
  tableReference: { projectId: string; datasetId: string; tableId: string };
  type: 'TABLE' | 'VIEW';
  description?: string;
  schema: { fields: FakeField[] };
  timePartitioning?: { type: string; field?: string };
  clustering?: { fields: string[] };
  view?: { query: string; useLegacySql?: boolean };
}

const duckTypes: Record<string, string> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  INTEGER: 'BIGINT',
  FLOAT64: 'DOUBLE',
  FLOAT: 'DOUBLE',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMPTZ',
  JSON: 'JSON',
};

/** BigQuery's type of a DuckDB result column, for `schema.fields` of a query response. */
function bigQueryType(duckType: string): string {
  if (/INT/.test(duckType)) return 'INT64';
  if (/DOUBLE|FLOAT|DECIMAL/.test(duckType)) return 'FLOAT64';
  if (duckType === 'BOOLEAN') return 'BOOL';
  if (duckType.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (duckType === 'JSON') return 'JSON';
  return 'STRING';
}

export const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The storage of the fake BigQuery: one in-memory DuckDB, one schema per dataset, so loaded
 * rows can be queried. Table references in backticks (`project.dataset.table`) are translated
 * to DuckDB's "dataset"."table"; the rest of the SQL must be valid in both dialects.
 */
export class BigQueryStore {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly dir: string,
  ) {}

  static async create(): Promise<BigQueryStore> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // BigQuery functions that DuckDB names otherwise (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-and-operators).
    await connection.run('CREATE MACRO unix_micros(t) AS epoch_us(t)');
    await connection.run('CREATE MACRO to_json_string(j) AS CAST(json(j) AS VARCHAR)');
    return new BigQueryStore(instance, connection, await mkdtemp(join(tmpdir(), 'fake-bq-')));
  }

  async createDataset(datasetId: string): Promise<void> {
    await this.connection.run(`CREATE SCHEMA ${quote(datasetId)}`);
  }

  async createTable(table: FakeTable): Promise<void> {
    const name = `${quote(table.tableReference.datasetId)}.${quote(table.tableReference.tableId)}`;
    if (table.view) {
      await this.connection.run(`CREATE OR REPLACE VIEW ${name} AS ${translateSql(table.view.query)}`);
      return;
    }
    const columns = table.schema.fields.map(
      (f) => `${quote(f.name)} ${duckType(f)}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`,
    );
    await this.connection.run(`CREATE TABLE ${name} (${columns.join(', ')})`);
  }

  async addColumns(datasetId: string, tableId: string, fields: readonly FakeField[]): Promise<void> {
    for (const f of fields) {
      await this.connection.run(
        `ALTER TABLE ${quote(datasetId)}.${quote(tableId)} ADD COLUMN ${quote(f.name)} ${duckType(f)}`,
      );
    }
  }

  /** Appends newline-delimited JSON rows in one transaction: all or none, like a load job. */
  async loadNdjson(table: FakeTable, data: Buffer): Promise<number> {
    const file = join(this.dir, `load-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, data);
    const { datasetId, tableId } = table.tableReference;
    const columns = table.schema.fields.map((f) => `${quote(f.name)}: '${duckType(f)}'`).join(', ');
    try {
      await this.connection.run('BEGIN TRANSACTION');
      const before = await this.count(datasetId, tableId);
      if (data.length > 0) {
        await this.connection.run(
          `INSERT INTO ${quote(datasetId)}.${quote(tableId)} BY NAME
           SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${columns}})`,
        );
      }
      const loaded = (await this.count(datasetId, tableId)) - before;
      await this.connection.run('COMMIT');
      return loaded;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    } finally {
      await rm(file, { force: true });
    }
  }

  /**
   * Runs a query and answers in the REST API's shape: schema.fields and rows[].f[].v as
   * strings. Named parameters (`@name`) become DuckDB's `$name`. A DML statement (UPDATE,
   * DELETE, INSERT) answers with the number of rows it changed, as BigQuery's numDmlAffectedRows.
   */
  async query(sql: string, params: Record<string, DuckDBValue> = {}) {
    const translated = translateSql(sql).replace(/@(\w+)/g, (_m, name: string) => `$${name}`);
    const reader = await this.connection.runAndReadAll(
      translated,
      Object.keys(params).length > 0 ? params : undefined,
    );
    if (/^\s*(UPDATE|DELETE|INSERT)\b/i.test(sql)) {
      return { fields: [], rows: [], dmlAffectedRows: Number(reader.getRows()[0]?.[0] ?? 0) };
    }
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const fields = names.map((name, i) => {
      const list = types[i]!.endsWith('[]');
      return {
        name,
        type: bigQueryType(types[i]!.replace(/\[\]$/, '')),
        mode: list ? 'REPEATED' : 'NULLABLE',
      };
    });
    const rows = reader.getRows().map((row) => ({
      f: row.map((value, i) => {
        const { type, mode } = fields[i]!;
        if (mode !== 'REPEATED') return { v: wireValue(value, type) };
        // An array is { v: [{ v: item }, ...] } on the wire, and never null.
        const items = (value as { items?: unknown[] } | null)?.items ?? [];
        return { v: items.map((item) => ({ v: wireValue(item, type) })) };
      }),
    }));
    return { fields, rows, dmlAffectedRows: undefined };
  }

  /** Direct read for tests, as JSON-friendly objects. */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(translateSql(sql));
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async count(datasetId: string, tableId: string): Promise<number> {
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*) FROM ${quote(datasetId)}.${quote(tableId)}`,
    );
    return Number(reader.getRows()[0]![0]);
  }
}

function duckType(field: FakeField): string {
  const type = duckTypes[field.type.toUpperCase()];
  if (!type) throw new Error(`unsupported field type ${field.type} of ${field.name}`);
  // A REPEATED field is an array (https://cloud.google.com/bigquery/docs/nested-repeated).
  return field.mode === 'REPEATED' ? `${type}[]` : type;
}

const sqlString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** `project.dataset.table` or `dataset.table` in backticks -> "dataset"."table". */
export function translateSql(sql: string): string {
  return sql.replace(/`([^`]+)`/g, (_match, ref: string) => {
    const parts = ref.split('.');
    return parts.slice(-2).map(quote).join('.');
  });
}

/** Values as BigQuery's REST API sends them (TIMESTAMP as int64 microseconds, useInt64Timestamp). */
function wireValue(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'TIMESTAMP') return String((value as { micros: bigint }).micros);
  return String(value);
}
