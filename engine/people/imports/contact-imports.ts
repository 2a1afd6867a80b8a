import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../../core/db/database.js';
import { inTransaction } from '../../../core/db/in-transaction.js';
import type { ImportMode, ImportStatus } from '../../../core/db/schema.js';
import { AppError } from '../../../core/errors.js';
import { customFieldDefinitions } from '../custom-field-definitions.js';
import { isCountryCode } from '../phone.js';
import { enqueueImportChunk } from './import-job.js';
import { checkMapping, type ImportMapping, suggestMapping } from './import-mapping.js';
import { type CsvRow, fileError, readCsvFile } from './parse-csv-file.js';

export interface ImportView {
  id: string;
  fileName: string | null;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  /** Valid rows that changed nothing (already there in create mode, unknown in update mode, same values). */
  skippedCount: number;
  invalidCount: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportSettings {
  mapping: ImportMapping;
  mode: ImportMode;
  defaultCountry: string;
}

const INSERT_BATCH = 5000;

/**
 * Stores an uploaded CSV as it arrives (the request body, or the bytes of a file), row by
 * row in chunks of INSERT_BATCH, each chunk in its own short transaction: memory stays flat
 * whatever the file's size, the event loop stays free between pieces (parse-csv-file.ts), and
 * no transaction stays open for the whole upload (it would hold back every log reader). The
 * import is `receiving` until the last row is stored, then `uploaded`; a file-level problem
 * is one clear error and removes what was stored of it. Returns the headers and the
 * suggested mapping for the wizard.
 */
export async function createImport(
  db: Db,
  input: {
    bytes: Uint8Array | AsyncIterable<Uint8Array>;
    fileName: string | null;
    channel: string;
    by: string;
  },
): Promise<{
  id: string;
  status: 'uploaded';
  headers: string[];
  rows: number;
  suggestedMapping: ImportMapping;
}> {
  const source = input.bytes instanceof Uint8Array ? [input.bytes] : input.bytes;
  let id: string | undefined;
  let headers: string[] = [];
  let total = 0;
  let batch: CsvRow[] = [];
  const flush = async () => {
    if (batch.length === 0 || id === undefined) return;
    await insertRows(db, id, total - batch.length, batch);
    batch = [];
  };
  try {
    for await (const item of readCsvFile(source)) {
      if (item.kind === 'headers') {
        headers = item.headers;
        const row = await db
          .insertInto('contact_imports')
          .values({
            file_name: input.fileName,
            channel: input.channel,
            status: 'receiving',
            headers,
            total_rows: 0,
            created_by: input.by,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
        continue;
      }
      batch.push(item.row);
      total++;
      if (batch.length >= INSERT_BATCH) await flush();
    }
    await flush();
    if (id === undefined || total === 0) throw fileError('the file has a header row but no rows');
    await db
      .updateTable('contact_imports')
      .set({ status: 'uploaded', total_rows: total })
      .where('id', '=', id)
      .execute();
  } catch (error) {
    // The rows stored so far go with it (on delete cascade).
    if (id !== undefined) await db.deleteFrom('contact_imports').where('id', '=', id).execute();
    throw error;
  }
  const fields = await db.selectFrom('custom_fields').select(['key', 'name']).execute();
  return {
    id,
    status: 'uploaded' as const,
    headers,
    rows: total,
    suggestedMapping: suggestMapping(headers, fields),
  };
}

/**
 * One chunk of rows in one statement. Cells are plain text with NUL replaced, so Postgres
 * accepts any row; should one still be refused, the caller gets 400 with the lines, not 500.
 */
async function insertRows(db: Db, id: string, before: number, rows: readonly CsvRow[]) {
  try {
    await sql`
      insert into contact_import_rows (import_id, ord, line, cells)
      select ${id}, ord, line, cells::jsonb
      from unnest(${rows.map((_, i) => before + i + 1)}::int[], ${rows.map((r) => r.line)}::int[],
                  ${rows.map((r) => JSON.stringify(r.cells))}::text[]) as r(ord, line, cells)`.execute(db);
  } catch {
    // Postgres' message may quote a cell: the lines say where to look instead.
    throw fileError(`the rows on lines ${rows[0]!.line}–${rows.at(-1)!.line} could not be stored`);
  }
}

/** Checks settings against the upload: the mapping (see checkMapping) and the country. */
export async function checkImportSettings(db: DbOrTx, id: string, settings: ImportSettings) {
  const upload = await loadImport(db, id);
  if (!isCountryCode(settings.defaultCountry.toUpperCase())) {
    throw new AppError('validation_failed', `unknown country ${settings.defaultCountry}`, [
      { field: 'defaultCountry', reason: 'must be a two-letter country code such as ZA' },
    ]);
  }
  const definitions = await customFieldDefinitions(db);
  checkMapping(settings.mapping, upload.headers, definitions);
  return { upload, definitions };
}

/** Queues the import for the background job; settings are fixed from here on. */
export async function startImport(db: DbOrTx, id: string, settings: ImportSettings): Promise<ImportView> {
  await checkImportSettings(db, id, settings);
  return inTransaction(db, async (tx) => {
    const row = await tx
      .updateTable('contact_imports')
      .set({
        status: 'queued',
        mapping: JSON.stringify(settings.mapping),
        mode: settings.mode,
        default_country: settings.defaultCountry.toUpperCase(),
      })
      .where('id', '=', id)
      .where('status', '=', 'uploaded')
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError('conflict', `import ${id} was already started`, [
        { field: 'id', reason: 'already started' },
      ]);
    await enqueueImportChunk(tx, id, 0);
    return presentImport(row);
  });
}

export async function getImport(db: DbOrTx, id: string): Promise<ImportView> {
  return presentImport(await loadImport(db, id));
}

export async function listImports(db: DbOrTx, limit = 100): Promise<ImportView[]> {
  const rows = await db
    .selectFrom('contact_imports')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(presentImport);
}

/**
 * Invalid rows by line, a page after `afterLine`. A reason quotes the cells it refuses (a
 * phone number, a custom field's value): callers without `pii.read` pass `redact`, which
 * masks them on the way out (the stored reason stays whole for those who may read it).
 */
export async function importErrors(
  db: DbOrTx,
  input: { id: string; afterLine?: number; limit?: number; redact?: (reason: string) => string },
): Promise<{ line: number; reason: string }[]> {
  await loadImport(db, input.id);
  const rows = await db
    .selectFrom('contact_import_errors')
    .select(['line', 'reason'])
    .where('import_id', '=', input.id)
    .where('line', '>', input.afterLine ?? 0)
    .orderBy('line')
    .limit(Math.min(input.limit ?? 100, 1000))
    .execute();
  const { redact } = input;
  return redact ? rows.map((r) => ({ line: r.line, reason: redact(r.reason) })) : rows;
}

export async function loadImport(db: DbOrTx, id: string) {
  const row = await db.selectFrom('contact_imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no import ${id}`, [{ field: 'id', reason: 'no such import' }]);
  return row;
}

type ImportRow = Awaited<ReturnType<typeof loadImport>>;

export function presentImport(row: ImportRow): ImportView {
  return {
    id: row.id,
    fileName: row.file_name,
    status: row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    createdCount: row.created_count,
    updatedCount: row.updated_count,
    skippedCount: row.skipped_count,
    invalidCount: row.invalid_count,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
