import type { Json } from '@duckdb/node-api';
import type { ReaderPool, ReaderView } from '../duckdb/reader-pool.js';
import { checkSingleSelect } from './check-statement.js';
import { SqlError, sqlErrorFrom } from './sql-error.js';

export interface SandboxOptions {
  /** Interrupts the query after this long (default 10 s). */
  timeoutMs?: number;
  /** Rows returned at most (default 10,000); `truncated` says when more existed. */
  rowLimit?: number;
}

export interface SandboxResult {
  columns: { name: string; type: string }[];
  rows: Record<string, Json>[];
  truncated: boolean;
  /** The mirror's log position in the data the query read. */
  logPosition: string;
  /** When that view of the warehouse was taken (ISO time). */
  asOf: string;
}

/**
 * The one place user-written SQL runs (segments now; notebooks and insights later). It runs
 * on a sandboxed reader (reader-pool.ts: a separate in-memory DuckDB that attached the
 * warehouse READ_ONLY, with external access disabled and its configuration locked, and a
 * memory limit), after DuckDB's parser confirmed exactly one SELECT; a timer interrupts it,
 * and at most `rowLimit` rows are read from the stream.
 */
export async function runSandboxed(
  readers: ReaderPool,
  sql: string,
  options: SandboxOptions = {},
): Promise<SandboxResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rowLimit = options.rowLimit ?? 10_000;
  try {
    return await readers.withConnection(
      async (connection, view: ReaderView) => {
        await checkSingleSelect(connection, sql);
        const prepared = await connection.prepare(sql);
        const reader = await prepared.streamAndReadUntil(rowLimit + 1);
        const rows = reader.getRowObjectsJson();
        const types = reader.columnTypes();
        return {
          columns: reader.columnNames().map((name, i) => ({ name, type: String(types[i]) })),
          rows: rows.slice(0, rowLimit),
          truncated: rows.length > rowLimit,
          logPosition: view.logPosition,
          asOf: view.attachedAt.toISOString(),
        };
      },
      { timeoutMs },
    );
  } catch (error) {
    if (error instanceof SqlError) throw error;
    if (error instanceof Error && error.message.startsWith('INTERRUPT Error')) {
      throw new SqlError(`the query ran longer than ${timeoutMs} ms and was stopped`);
    }
    throw sqlErrorFrom(sql, error);
  }
}
