import type { Json } from '@duckdb/node-api';
import { AppError } from '../../core/errors.js';
import type { ReaderPool, ReaderView } from '../duckdb/reader-pool.js';
import { checkSingleSelect } from './check-statement.js';
import { SqlError, sqlErrorFrom } from './sql-error.js';

export interface SandboxOptions {
  /**
   * Whether the caller may read personal data (`pii.read`): without it the query reads the
   * masked catalogue (masked-catalogue.ts). Required, so no caller can forget to decide.
   */
  canReadPii: boolean;
  /** Interrupts the query after this long (default 10 s). */
  timeoutMs?: number;
  /** Rows returned at most (default 10,000); `truncated` says when more existed. */
  rowLimit?: number;
  /**
   * Runs `before + sql + after` instead of `sql` (a count or a join around a segment), after
   * checking `sql` alone. `before` is one line, so error positions are mapped back to `sql`.
   */
  wrap?: { before: string; after: string };
  /** Read a view that has applied the log at least up to this position (snapshots after a drain). */
  minLogPosition?: string;
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
 * warehouse READ_ONLY, with external access disabled and its configuration locked, one
 * thread, memory and spill limits, a bounded number of queries at once) over the full or the
 * masked catalogue, after DuckDB's parser confirmed exactly one SELECT that names only the
 * catalogue's tables and builds nothing unbounded (check-statement.ts); a timer interrupts it,
 * at most `rowLimit` rows are read from the stream, and errors are cleaned of data values.
 */
export async function runSandboxed(
  readers: ReaderPool,
  sql: string,
  options: SandboxOptions,
): Promise<SandboxResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rowLimit = options.rowLimit ?? 10_000;
  try {
    return await readers.withConnection(
      options.canReadPii ? 'full' : 'masked',
      async (connection, view: ReaderView) => {
        await checkSingleSelect(connection, sql);
        const wrapped = options.wrap ? `${options.wrap.before}${sql}${options.wrap.after}` : sql;
        if (options.wrap) await checkSingleSelect(connection, wrapped);
        const prepared = await connection.prepare(wrapped);
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
      {
        timeoutMs,
        minLogPosition: options.minLogPosition === undefined ? undefined : BigInt(options.minLogPosition),
      },
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Error && error.message.startsWith('INTERRUPT Error')) {
      throw new SqlError(`the query ran longer than ${timeoutMs} ms and was stopped`);
    }
    if (error instanceof Error && error.message.startsWith('Out of Memory Error')) {
      throw new SqlError('the query needed more memory than the SQL sandbox allows and was stopped');
    }
    if (!options.wrap) throw sqlErrorFrom(sql, error);
    const shift = options.wrap.before.length;
    const mapped = sqlErrorFrom(`${options.wrap.before}${sql}${options.wrap.after}`, error);
    const at = mapped.position;
    if (!at) throw mapped;
    const lines = sql.split('\n').length;
    const position =
      at.line > lines
        ? null
        : { line: at.line, column: at.line === 1 ? Math.max(1, at.column - shift) : at.column };
    throw new SqlError(mapped.message, position);
  }
}
