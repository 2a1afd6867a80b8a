import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { DuckDBValue } from '@duckdb/node-api';
import type { WarehouseColumn, WarehouseTable } from '../tables/table-definition.js';

/** Read access to the DuckDB mirror (Mirror.query: trusted SQL, always fresh). */
export interface WarehouseReader {
  query(sql: string, params?: DuckDBValue[]): Promise<Record<string, unknown>[]>;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** How a column travels in a NEWLINE_DELIMITED_JSON load (https://cloud.google.com/bigquery/docs/loading-data-cloud-storage-json#details_of_loading_json_data). */
function jsonValue(column: WarehouseColumn): string {
  const ref = q(column.name);
  if (column.type === 'timestamp') return `strftime(timezone('UTC', ${ref}), '%Y-%m-%dT%H:%M:%S.%fZ')`;
  return ref;
}

/** A DuckDB expression making one row a JSON object (timestamps as ISO 8601 in UTC). */
export function rowJsonSql(table: WarehouseTable): string {
  return `to_json({${table.columns.map((c) => `${q(c.name)}: ${jsonValue(c)}`).join(', ')}})::VARCHAR`;
}

/** One JSON line per row, built by DuckDB so that values never pass through JS objects. */
export function ndjsonLineSql(table: WarehouseTable): string {
  const position = q(table.positionColumn);
  return `SELECT ${rowJsonSql(table)} AS line FROM ${q(table.name)}
    WHERE ${position} > $1 AND ${position} <= $2 ORDER BY ${position}, ${table.key.map(q).join(', ')}`;
}

/**
 * Writes the rows of `table` whose position is in (from, to] as NDJSON to `file`, reading
 * in windows of `windowPositions` log positions so a backfill never holds the batch in
 * memory. Returns the number of rows written.
 */
export async function writeBatchFile(
  reader: WarehouseReader,
  table: WarehouseTable,
  range: { from: bigint; to: bigint },
  file: string,
  windowPositions = 20_000n,
): Promise<number> {
  const sql = ndjsonLineSql(table);
  const out = createWriteStream(file);
  let rows = 0;
  try {
    for (let start = range.from; start < range.to; start += windowPositions) {
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take
      const end = start + windowPositions < range.to ? start + windowPositions : range.to;
      const page = await reader.query(sql, [start, end]);
      if (page.length === 0) continue;
      rows += page.length;
      const chunk = `${page.map((r) => String(r.line)).join('\n')}\n`;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return rows;
}
