import { sql } from 'kysely';
import type { DbOrTx } from '../../../core/db/database.js';
import { inTransaction } from '../../../core/db/in-transaction.js';
import type { ImportMode, ImportStatus } from '../../../core/db/schema.js';
import { AppError } from '../../../core/errors.js';
import { customFieldDefinitions } from '../custom-field-definitions.js';
import { isCountryCode } from '../phone.js';
import { checkMapping, type ImportMapping, suggestMapping } from './import-mapping.js';
import { parseCsvFile } from './parse-csv-file.js';

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
 * Stores an uploaded CSV: parsed once (file-level problems are one clear error), its rows
 * kept in Postgres so the background job survives restarts. Returns the headers and the
 * suggested mapping for the wizard.
 */
export async function createImport(
  db: DbOrTx,
  input: { bytes: Uint8Array; fileName: string | null; channel: string; by: string },
): Promise<{
  id: string;
  status: 'uploaded';
  headers: string[];
  rows: number;
  suggestedMapping: ImportMapping;
}> {
  const parsed = parseCsvFile(input.bytes);
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('contact_imports')
      .values({
        file_name: input.fileName,
        channel: input.channel,
        headers: parsed.headers,
        total_rows: parsed.rows.length,
        created_by: input.by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let start = 0; start < parsed.rows.length; start += INSERT_BATCH) {
      const batch = parsed.rows.slice(start, start + INSERT_BATCH);
      await sql`
        insert into contact_import_rows (import_id, ord, line, cells)
        select ${row.id}, ord, line, cells::jsonb
        from unnest(${batch.map((_, i) => start + i + 1)}::int[], ${batch.map((r) => r.line)}::int[],
                    ${batch.map((r) => JSON.stringify(r.cells))}::text[]) as r(ord, line, cells)`.execute(tx);
    }
    const fields = await tx.selectFrom('custom_fields').select(['key', 'name']).execute();
    return {
      id: row.id,
      status: 'uploaded' as const,
      headers: parsed.headers,
      rows: parsed.rows.length,
      suggestedMapping: suggestMapping(parsed.headers, fields),
    };
  });
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
    await sql`select pg_notify('parley_imports', ${id})`.execute(tx);
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
