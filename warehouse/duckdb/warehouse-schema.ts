import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdbDdl } from '../tables/duckdb-ddl.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { copyColumns } from '../transform/stage-batch.js';
import { transformStatements } from '../transform/transform-batch.js';

/**
 * The warehouse's tables plus two of the mirror's own: `_mirror_cursor`, the (xid, id) of
 * the last applied event, written in the same DuckDB transaction as the rows (so
 * a crash never applies a page twice or skips one), and `_mirror_meta`, the version of the definitions and transform that built the
 * file. A file built by other definitions is rebuilt from the log, never patched.
 */
export const warehouseVersion: string = createHash('sha256')
  .update(JSON.stringify({ warehouseTables, transformStatements, copyColumns }))
  .digest('hex')
  .slice(0, 16);

export interface MirrorCursor {
  xid: string;
  eventId: string;
  /** Events applied so far: the log position of the last one. */
  logPosition: bigint;
}

export async function createWarehouseSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const table of warehouseTables) {
      for (const statement of duckdbDdl(table)) await connection.run(statement);
    }
    await connection.run(`CREATE TABLE IF NOT EXISTS _mirror_cursor (
      xid UBIGINT NOT NULL, event_id BIGINT NOT NULL, log_position BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
    await connection.run(`CREATE TABLE IF NOT EXISTS _mirror_meta (
      version VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL)`);
    await connection.run(
      `INSERT INTO _mirror_cursor SELECT 0, 0, 0, now() WHERE NOT EXISTS (SELECT 1 FROM _mirror_cursor)`,
    );
    await connection.run(
      `INSERT INTO _mirror_meta SELECT $1, now() WHERE NOT EXISTS (SELECT 1 FROM _mirror_meta)`,
      [warehouseVersion],
    );
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** The version stored in the file, or null for a file without warehouse tables. */
export async function storedVersion(connection: DuckDBConnection): Promise<string | null> {
  const exists = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name = '_mirror_meta' AND database_name = current_database()`,
  );
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return null;
  const result = await connection.runAndReadAll('SELECT version FROM _mirror_meta LIMIT 1');
  return (result.getRows()[0]?.[0] as string | undefined) ?? null;
}

export async function readCursor(connection: DuckDBConnection): Promise<MirrorCursor> {
  const result = await connection.runAndReadAll(
    'SELECT xid::VARCHAR, event_id::VARCHAR, log_position FROM _mirror_cursor LIMIT 1',
  );
  const row = result.getRows()[0];
  if (!row) throw new Error('warehouse file has no _mirror_cursor row');
  return { xid: String(row[0]), eventId: String(row[1]), logPosition: BigInt(row[2] as bigint) };
}
