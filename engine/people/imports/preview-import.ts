import type { DbOrTx } from '../../../core/db/database.js';
import { checkImportSettings, type ImportSettings } from './contact-imports.js';
import { readImportRow } from './read-import-row.js';

export interface PreviewRow {
  line: number;
  values: Record<string, unknown>;
  error: string | null;
  action: 'create' | 'update' | 'skip';
}

const PREVIEW_ROWS = 20;
const PAGE = 10_000;

/**
 * The wizard's preview: the first 20 rows as they would be applied (values read, the error,
 * create/update/skip against the people already there) and the numbers of valid and invalid
 * rows in the whole file, duplicates of an earlier phone counted invalid like the job does.
 */
export async function previewImport(
  db: DbOrTx,
  id: string,
  settings: ImportSettings,
): Promise<{ rows: PreviewRow[]; validRows: number; invalidRows: number }> {
  const { upload, definitions } = await checkImportSettings(db, id, settings);
  const context = {
    headers: upload.headers,
    mapping: settings.mapping,
    definitions,
    defaultCountry: settings.defaultCountry.toUpperCase(),
  };
  const firstLine = new Map<string, number>();
  const preview: (PreviewRow & { waId?: string })[] = [];
  let valid = 0;
  let invalid = 0;
  for (let after = 0; ; after += PAGE) {
    const rows = await db
      .selectFrom('contact_import_rows')
      .select(['line', 'cells'])
      .where('import_id', '=', id)
      .where('ord', '>', after)
      .where('ord', '<=', after + PAGE)
      .orderBy('ord')
      .execute();
    for (const row of rows) {
      const read = readImportRow(row.cells, context);
      let error = read.ok ? null : read.reason;
      if (read.ok) {
        const first = firstLine.get(read.waId);
        if (first !== undefined) error = `duplicate phone ${read.e164}: already on line ${first}`;
        else firstLine.set(read.waId, row.line);
      }
      if (error === null) valid++;
      else invalid++;
      if (preview.length < PREVIEW_ROWS) {
        preview.push({
          line: row.line,
          values: read.values,
          error,
          action: 'skip',
          waId: read.ok && error === null ? read.waId : undefined,
        });
      }
    }
    if (rows.length < PAGE) break;
  }
  const waIds = preview.flatMap((r) => (r.waId ? [r.waId] : []));
  const existing = new Set(
    waIds.length === 0
      ? []
      : (
          await db
            .selectFrom('contacts')
            .select('wa_id')
            .where('channel', '=', upload.channel)
            .where('wa_id', 'in', waIds)
            .execute()
        ).map((r) => r.wa_id),
  );
  const rows = preview.map(({ waId, ...row }) => {
    if (!waId) return row;
    const exists = existing.has(waId);
    const action: PreviewRow['action'] = exists
      ? settings.mode === 'create'
        ? 'skip'
        : 'update'
      : settings.mode === 'update'
        ? 'skip'
        : 'create';
    return { ...row, action };
  });
  return { rows, validRows: valid, invalidRows: invalid };
}
