import {
  type DuckDBConnection,
  type DuckDBInstance,
  type DuckDBValue,
  StatementType,
} from '@duckdb/node-api';
import type { ReadOptions, Row } from './reader-pool.js';

/**
 * A read on the writer's own instance, for SQL written in our code (segments, insights, the
 * data export API): DuckDB's MVCC gives it a snapshot that includes every committed batch and
 * never blocks the writer (measured: a long query on one connection does not block an
 * insert on another). Only a single SELECT is accepted, so a bug cannot write to the mirror;
 * user SQL goes to the sandboxed readers instead, because this instance has file access.
 */
export async function trustedQuery(
  instance: DuckDBInstance,
  sql: string,
  params: DuckDBValue[] = [],
  options: ReadOptions = {},
): Promise<Row[]> {
  const connection = await instance.connect();
  const timer = options.timeoutMs ? setTimeout(() => connection.interrupt(), options.timeoutMs) : undefined;
  try {
    return await runTrustedSelect(connection, sql, params);
  } finally {
    clearTimeout(timer);
    connection.closeSync();
  }
}

/** One SELECT of our own code on a connection: a second statement or a write is refused. */
export async function runTrustedSelect(
  connection: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<Row[]> {
  const extracted = await connection.extractStatements(sql);
  if (extracted.count !== 1) throw new Error('warehouse query: exactly one statement is allowed');
  const prepared = await extracted.prepare(0);
  if (prepared.statementType !== StatementType.SELECT) {
    throw new Error('warehouse query: only SELECT statements are allowed');
  }
  if (params.length > 0) prepared.bind(params);
  const reader = await prepared.runAndReadAll();
  return reader.getRowObjectsJson() as Row[];
}
