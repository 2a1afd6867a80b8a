import { createHash } from 'node:crypto';
import type { WarehouseColumn, WarehouseTable } from '../tables/table-definition.js';

/**
 * One text per row that DuckDB and BigQuery both compute alike, so `verify` can compare a
 * BigQuery table with the mirror without a hash function common to both engines: BigQuery
 * returns the texts, the mirror hashes its own in SQL, and both use md5 (rowHash below).
 * Timestamps become epoch microseconds (BigQuery's UNIX_MICROS), JSON its compact text
 * (TO_JSON_STRING), every other value CAST AS STRING; NULL and the separator are characters
 * that the exported values do not hold. FLOAT64 text can differ between the engines for a
 * few values (BigQuery prints shortest round-trip digits): docs/warehouse.md says so.
 */
const separator = '\u241f';
const nullMark = '\u2400';

const ref = (name: string, quote: string) => `${quote}${name}${quote}`;

function columnText(column: WarehouseColumn, dialect: 'duckdb' | 'bigquery'): string {
  if (dialect === 'bigquery') {
    const c = ref(column.name, '`');
    if (column.type === 'timestamp') return `CAST(UNIX_MICROS(${c}) AS STRING)`;
    if (column.type === 'json') return `TO_JSON_STRING(${c})`;
    return `CAST(${c} AS STRING)`;
  }
  const c = ref(column.name, '"');
  if (column.type === 'timestamp') return `CAST(epoch_us(${c}) AS VARCHAR)`;
  if (column.type === 'json') return `CAST(json(${c}) AS VARCHAR)`;
  return `CAST(${c} AS VARCHAR)`;
}

/** The row text expression of `table` in one engine's SQL. */
export function rowTextSql(table: WarehouseTable, dialect: 'duckdb' | 'bigquery'): string {
  const parts = table.columns.map((c) => `IFNULL(${columnText(c, dialect)}, '${nullMark}')`);
  return `ARRAY_TO_STRING([${parts.join(', ')}], '${separator}')`;
}

/** 60 bits of the md5 of a row text: DuckDB computes the same in SQL (rowHashSql). */
export function rowHash(text: string): bigint {
  return BigInt(`0x${createHash('md5').update(text, 'utf8').digest('hex').slice(0, 15)}`);
}

export function rowHashSql(textSql: string): string {
  return `CAST('0x' || substr(md5(${textSql}), 1, 15) AS BIGINT)`;
}

/** Order-independent sum of row hashes mod 2^64, as 16 hex digits (like checksums.ts). */
export function checksumHex(sum: bigint): string {
  return (sum % (1n << 64n)).toString(16).padStart(16, '0');
}

/**
 * Which rows of a table BigQuery should hold once it has exported up to `exportedPosition`:
 * log tables, the rows of events up to it; current-state tables (exported as change rows),
 * the latest change row per key among those.
 */
export function bigQueryRowsSql(table: WarehouseTable, source: string, exportedPosition: bigint): string {
  const position = ref(table.positionColumn, '`');
  const text = `${rowTextSql(table, 'bigquery')} AS row_text`;
  if (table.kind === 'log') {
    return `SELECT ${text} FROM ${source} WHERE ${position} <= ${exportedPosition}`;
  }
  const keys = table.key.map((k) => ref(k, '`')).join(', ');
  return `SELECT ${text} FROM (SELECT * FROM ${source} WHERE ${position} <= ${exportedPosition}
    QUALIFY ROW_NUMBER() OVER (PARTITION BY ${keys} ORDER BY ${position} DESC) = 1)`;
}
