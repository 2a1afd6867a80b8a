import { parse } from 'csv-parse';
import { replaceNul } from '../../../core/db/replace-nul.js';
import { AppError } from '../../../core/errors.js';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A data row with the file line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** What the reader yields: the header row once, then data rows. */
export type CsvItem = { kind: 'headers'; headers: string[] } | { kind: 'row'; row: CsvRow };

/**
 * Largest piece of the file handed to the CSV parser at once. csv-parse handles each piece
 * synchronously, so small pieces keep the event loop free for other requests (webhooks,
 * /health) while a 50 MB file goes through.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Reads an uploaded CSV as it arrives, row by row, in constant memory: UTF-8 (a BOM is fine),
 * a header row naming the columns, then rows. Each problem with the file as a whole is one
 * clear error (thrown while iterating); problems of single rows are left to validation,
 * which reports them by line. NUL becomes U+FFFD as in every stored text (Postgres refuses it).
 */
export async function* readCsvFile(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<CsvItem> {
  const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true });
  const feeding = feed(source, parser);
  // A failure to feed ends the parser too; it is rethrown below, as the cause of the end.
  feeding.catch(() => parser.destroy());
  let headersSeen = false;
  let anyText = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      anyText = true;
      if (!headersSeen) {
        headersSeen = true;
        yield { kind: 'headers', headers: checkHeaders(record) };
        continue;
      }
      // info.lines is the line a record ends on; a quoted cell may span lines, so count back.
      yield { kind: 'row', row: { line: info.lines - countNewlines(record), cells: replaceNul(record) } };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    await feeding.catch((cause) => {
      throw cause;
    });
    throw fileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
  await feeding;
  if (!anyText)
    throw fileError('the file is empty: it needs a header row (e.g. phone,name) and at least one row');
}

async function feed(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  parser: ReturnType<typeof parse>,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let size = 0;
  let lines = 1;
  const write = async (text: string) => {
    if (text === '') return;
    for (const ch of text) if (ch === '\n') lines++;
    if (!parser.write(text)) await new Promise<void>((resolve) => parser.once('drain', resolve));
  };
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      const lenient = new TextDecoder('utf-8').decode(bytes);
      const before = lenient.slice(0, Math.max(lenient.indexOf('\uFFFD'), 0));
      const line = lines + before.split('\n').length - 1;
      throw fileError(
        `the file is not UTF-8 text (the first character that is not is on line ${line}); save it as "CSV UTF-8" and upload it again`,
      );
    }
  };
  for await (const chunk of source) {
    size += chunk.length;
    if (size > MAX_IMPORT_BYTES) throw tooLarge(size);
    for (let start = 0; start < chunk.length; start += PIECE_BYTES) {
      await write(decode(chunk.subarray(start, start + PIECE_BYTES)));
      // Let other work run between pieces.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  await write(decode());
  parser.end();
}

function checkHeaders(record: string[]): string[] {
  if (record.every((cell) => cell.trim() === '')) {
    throw fileError('the first line must be a header row naming the columns (e.g. phone,name)');
  }
  const headers = record.map((h) => h.trim());
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
  return headers;
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const cell of record) for (const ch of cell) if (ch === '\n') n++;
  return n;
}

export function tooLarge(size: number): AppError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new AppError(
    'payload_too_large',
    `the file is ${mb(size)}; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files`,
    [{ field: 'file', reason: `at most ${MAX_IMPORT_BYTES} bytes` }],
  );
}

export function fileError(reason: string): AppError {
  return new AppError('validation_failed', reason, [{ field: 'file', reason }]);
}
