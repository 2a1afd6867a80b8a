import { AppError } from '../../core/errors.js';

/** Where in the SQL text an error points: 1-based line and column. */
export interface SqlPosition {
  line: number;
  column: number;
}

/**
 * A refused or failed user query: a 400 with DuckDB's message and, when
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
 * is found by locating the quoted text in the user's line. The message is cleaned of data
 * values first (`withoutDataValues`).
 */
export function sqlErrorFrom(sql: string, error: unknown): SqlError {
  const text = error instanceof Error ? error.message : String(error);
  const first = withoutDataValues(sql, text.split('\n')[0] ?? text);
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

/** Errors raised while parsing and binding, before any row is read: they cannot hold data. */
const beforeExecution = /^(Parser|Binder|Catalog|Permission|Syntax|Not implemented) Error: /;
/** The class `error()` raises: its whole text may be built from data (`error(string_agg(...))`). */
const freeText = /^Invalid Input Error: /;

/**
 * The rule for every caller, with or without `pii.read`: an error keeps its class, and the
 * words of the user's own SQL, but never a value read from the data. Errors raised before
 * execution are kept whole; in others every quoted string and every number of three or more
 * digits that the user's SQL does not contain becomes `…`, and an Invalid Input Error (what
 * `error()` raises) keeps only its class.
 */
export function withoutDataValues(sql: string, message: string): string {
  if (beforeExecution.test(message)) return message;
  if (freeText.test(message)) {
    return 'Invalid Input Error: the query failed on a value (the text is not shown because it may contain data)';
  }
  const own = (part: string) => part.length > 0 && sql.includes(part);
  return message
    .replace(/'((?:[^']|'')*)'|"((?:[^"]|"")*)"/g, (whole, single?: string, double?: string) =>
      own(single ?? double ?? '') ? whole : whole[0] === "'" ? "'…'" : '"…"',
    )
    .replace(/\d{3,}/g, (digits) => (own(digits) ? digits : '…'));
}
