import type { WarehouseColumnType, WarehouseTable } from './table-definition.js';

export const duckdbTypes: Record<WarehouseColumnType, string> = {
  string: 'VARCHAR',
  int64: 'BIGINT',
  int32: 'INTEGER',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  json: 'JSON',
  'string[]': 'VARCHAR[]',
};

/**
 * DuckDB DDL of one table: idempotent (IF NOT EXISTS, CONVENTIONS.md), with the data
 * dictionary as table and column comments so `duckdb_columns()` shows them in notebooks.
 * No primary key: DuckDB maintains an index per key on every append, and the transform
 * already writes one row per key (the log gives each message and contact one creating event).
 */
export function duckdbDdl(table: WarehouseTable, schema?: string): string[] {
  const name = qualified(table.name, schema);
  const columns = table.columns.map(
    (c) => `  ${quoteIdentifier(c.name)} ${duckdbTypes[c.type]}${c.nullable ? '' : ' NOT NULL'}`,
  );
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (\n${columns.join(',\n')}\n)`,
    `COMMENT ON TABLE ${name} IS ${quoteLiteral(table.description)}`,
    ...table.columns.map(
      (c) => `COMMENT ON COLUMN ${name}.${quoteIdentifier(c.name)} IS ${quoteLiteral(c.description)}`,
    ),
  ];
}

/** The column list in definition order, for INSERT ... SELECT and checksums. */
export function columnList(table: WarehouseTable, prefix = ''): string {
  return table.columns.map((c) => `${prefix}${quoteIdentifier(c.name)}`).join(', ');
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function qualified(name: string, schema: string | undefined) {
  return schema ? `${quoteIdentifier(schema)}.${quoteIdentifier(name)}` : quoteIdentifier(name);
}
