import { AppError } from '../../core/errors.js';

/** Where in the SQL text an error points: 1-based line and column. */
export interface SqlPosition {
  line: number;
  column: number;
}

/**
 * A refused or failed user query (issue 6, item 5): a 400 with DuckDB's message and, when
 * DuckDB points at a place, the line and column in the text the user wrote.
 */
export class SqlError extends AppError {
  constructor(
    message: string,
    readonly position: SqlPosition | null = null,
  ) {
    super('bad_request', message, [{ field: 'sql', reason: message }]);
    this.name = 'SqlError';
  }

  override toJSON() {
    return { ...super.toJSON(), line: this.position?.line ?? null, column: this.position?.column ?? null };
  }
}

/** Maps a 0-based character offset into the text to a 1-based line and column. */
export function positionAt(sql: string, offset: number): SqlPosition {
  const before = sql.slice(0, Math.max(0, Math.min(offset, sql.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * DuckDB's binder and catalog errors quote the line ("LINE 2: , b") with a caret under the
 * place; the quoted text may be cut to a window starting with "...", so the caret's column
 * is found by locating the quoted text in the user's line.
 */
export function sqlErrorFrom(sql: string, error: unknown): SqlError {
  const text = error instanceof Error ? error.message : String(error);
  const [first = text] = text.split('\n');
  const quoted = /\nLINE (\d+): (.*)\n( *)\^/.exec(text);
  if (!quoted) return new SqlError(first);
  const line = Number(quoted[1]);
  const shown = quoted[2] ?? '';
  const caret = (quoted[3]?.length ?? 0) - `LINE ${quoted[1]}: `.length;
  const source = sql.split('\n')[line - 1] ?? '';
  const trimmed = shown.startsWith('...') ? shown.slice(3) : shown;
  const start = Math.max(0, source.indexOf(trimmed.replace(/\.\.\.$/, '')));
  const column = start + caret - (shown.length - trimmed.length) + 1;
  return new SqlError(first, { line, column: Math.max(1, column) });
}
