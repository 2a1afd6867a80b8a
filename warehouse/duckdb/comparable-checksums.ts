import type { DuckDBConnection } from '@duckdb/node-api';
import { checksumHex, rowHashSql, rowTextSql } from '../bigquery/canonical-rows.js';
import { quoteIdentifier } from '../tables/duckdb-ddl.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { readCursor } from './warehouse-schema.js';

export interface ComparableChecksum {
  table: string;
  /** False for a current-state table whose export is behind the mirror: its rows moved on since. */
  comparable: boolean;
  rows: number;
  checksum: string;
}

/**
 * The mirror's side of `verify` against BigQuery: per table, the rows BigQuery should hold
 * after exporting up to `exported[table]` (canonical-rows.ts), counted and checksummed from
 * one snapshot. A log table is compared up to that position; a current-state table only
 * when its export has reached the mirror's cursor (before that, BigQuery rightly holds older
 * versions of rows the mirror has since changed).
 */
export async function comparableChecksums(
  connection: DuckDBConnection,
  exported: Record<string, string>,
): Promise<{ mirrorPosition: string; tables: ComparableChecksum[] }> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const mirrorPosition = (await readCursor(connection)).logPosition;
    const tables: ComparableChecksum[] = [];
    for (const table of warehouseTables) {
      const upTo = BigInt(exported[table.name] ?? '0');
      const comparable = table.kind === 'log' || upTo >= mirrorPosition;
      const where = table.kind === 'log' ? `WHERE ${quoteIdentifier(table.positionColumn)} <= ${upTo}` : '';
      const reader = await connection.runAndReadAll(
        `SELECT count(*)::BIGINT, coalesce(sum(${rowHashSql(rowTextSql(table, 'duckdb'))}::HUGEINT), 0)::VARCHAR
         FROM ${quoteIdentifier(table.name)} ${where}`,
      );
      const [rows, sum] = reader.getRows()[0] ?? [0, '0'];
      tables.push({
        table: table.name,
        comparable,
        rows: Number(rows),
        checksum: checksumHex(BigInt(String(sum))),
      });
    }
    await connection.run('COMMIT');
    return { mirrorPosition: mirrorPosition.toString(), tables };
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
}
