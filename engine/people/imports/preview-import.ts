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
 * A row without phone or BSUID is invalid; one with an error never gets an action.
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
  const preview: (PreviewRow & { waId?: string; bsuid?: string })[] = [];
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
        // The job's rule: a phone or a BSUID already on an earlier line makes the row invalid.
        const keys = [
          ...(read.waId !== undefined ? [[read.waId, `phone ${read.e164}`]] : []),
          ...(read.bsuid !== undefined ? [[`bsuid:${read.bsuid}`, `BSUID "${read.bsuid}"`]] : []),
        ];
        const seen = keys.find(([key]) => firstLine.has(key!));
        if (seen) error = `duplicate ${seen[1]}: already on line ${firstLine.get(seen[0]!)}`;
        else for (const [key] of keys) firstLine.set(key!, row.line);
      }
      if (error === null) valid++;
      else invalid++;
      if (preview.length < PREVIEW_ROWS) {
        preview.push({
          line: row.line,
          values: read.values,
          error,
          action: 'skip',
          ...(read.ok && error === null && { waId: read.waId, bsuid: read.bsuid }),
        });
      }
    }
    if (rows.length < PAGE) break;
  }
  const waIds = preview.flatMap((r) => (r.waId ? [r.waId] : []));
  const bsuids = preview.flatMap((r) => (r.bsuid ? [r.bsuid] : []));
  // As the import resolves people: by BSUID first, then phone number.
  const known =
    waIds.length + bsuids.length === 0
      ? []
      : await db
          .selectFrom('contacts')
          .select(['wa_id', 'bsuid'])
          .where('channel', '=', upload.channel)
          .where((eb) =>
            eb.or([
              ...(waIds.length > 0 ? [eb('wa_id', 'in', waIds)] : []),
              ...(bsuids.length > 0 ? [eb('bsuid', 'in', bsuids)] : []),
            ]),
          )
          .execute();
  const existing = new Set(known.flatMap((r) => [r.wa_id, r.bsuid]).filter((v) => v !== null));
  const rows = preview.map(({ waId, bsuid, ...row }) => {
    if (!waId && !bsuid) return row;
    const exists = (bsuid !== undefined && existing.has(bsuid)) || (waId !== undefined && existing.has(waId));
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
