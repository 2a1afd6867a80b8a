import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from '../tables/duckdb-ddl.js';
import { warehouseTables } from '../tables/warehouse-tables.js';

export interface TableChecksum {
  table: string;
  rows: number;
  /** Sum of row hashes mod 2^64, hex: independent of row order, changed by a lost, doubled or altered row. */
  checksum: string;
}

/**
 * Per-table row count and content checksum over every column. A sum (not xor) of row
 * hashes, so two identical rows do not cancel out. Run inside one transaction for a
 * consistent snapshot. `schema` names an attached database ('wh') or the default one.
 */
export async function tableChecksums(
  connection: DuckDBConnection,
  schema?: string,
): Promise<TableChecksum[]> {
  const prefix = schema ? `${quoteIdentifier(schema)}.` : '';
  const parts = warehouseTables.map((table) => {
    const columns = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
    return `SELECT '${table.name}' AS t, count(*)::BIGINT AS n,
      coalesce(sum(hash(${columns})::HUGEINT), 0) % 18446744073709551616 AS h
      FROM ${prefix}${quoteIdentifier(table.name)}`;
  });
  const reader = await connection.runAndReadAll(parts.join('\nUNION ALL\n'));
  const byTable = new Map(reader.getRows().map((r) => [String(r[0]), r]));
  return warehouseTables.map((table) => {
    const row = byTable.get(table.name);
    return {
      table: table.name,
      rows: Number(row?.[1] ?? 0),
      checksum: BigInt(String(row?.[2] ?? 0))
        .toString(16)
        .padStart(16, '0'),
    };
  });
}
