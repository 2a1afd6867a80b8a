import { parse } from 'csv-parse/sync';
import { replaceNul } from '../../../core/db/replace-nul.js';
import { AppError } from '../../../core/errors.js';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export interface ParsedCsv {
  headers: string[];
  /** Data rows with the file line each starts on (the header is line 1). */
  rows: { line: number; cells: string[] }[];
}

/**
 * Reads an uploaded CSV: UTF-8 (a BOM is fine), a header row naming the columns, then rows.
 * Each problem with the file as a whole is one clear error; problems of single rows are
 * left to validation, which reports them by line.
 */
export function parseCsvFile(bytes: Uint8Array): ParsedCsv {
  if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge(bytes.length);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw fileError(
      `the file is not UTF-8 text (the first character that is not is on line ${firstInvalidLine(bytes)}); save it as "CSV UTF-8" and upload it again`,
    );
  }
  if (text.trim() === '')
    throw fileError('the file is empty: it needs a header row (e.g. phone,name) and at least one row');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true });
  } catch (error) {
    throw fileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header || header.record.every((cell) => cell.trim() === '')) {
    throw fileError('the first line must be a header row naming the columns (e.g. phone,name)');
  }
  const headers = header.record.map((h) => h.trim());
  const dataLike = headers.find((h) => /^\+?[\d\s()-]{8,}$/.test(h));
  if (dataLike) {
    throw fileError(
      `the first line looks like data ("${dataLike}"), not a header row: add a header row naming the columns (e.g. phone,name)`,
    );
  }
  const blank = headers.indexOf('');
  if (blank >= 0) throw fileError(`column ${blank + 1} of the header row has no name`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h.toLowerCase())) throw fileError(`the header row names the column "${h}" twice`);
    seen.add(h.toLowerCase());
  }
  if (records.length < 2) throw fileError('the file has a header row but no rows');
  // info.lines is the line a record ends on; a quoted cell may span lines, so count back.
  const rows = records
    .slice(1)
    // NUL becomes U+FFFD as in every stored text (Postgres refuses it in jsonb).
    .map(({ record, info }) => ({ line: info.lines - countNewlines(record), cells: replaceNul(record) }));
  return { headers, rows };
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const cell of record) for (const ch of cell) if (ch === '\n') n++;
  return n;
}

function firstInvalidLine(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const bad = lenient.indexOf('\uFFFD');
  return lenient.slice(0, Math.max(bad, 0)).split('\n').length;
}

export function tooLarge(size: number): AppError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new AppError(
    'payload_too_large',
    `the file is ${mb(size)}; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files`,
    [{ field: 'file', reason: `at most ${MAX_IMPORT_BYTES} bytes` }],
  );
}

function fileError(reason: string): AppError {
  return new AppError('validation_failed', reason, [{ field: 'file', reason }]);
}
