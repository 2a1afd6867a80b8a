import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { type PersonRecord, personColumns } from './person-record.js';
import { derivedTimezone, phoneOf } from './phone.js';
import { spreadsheetSafe } from './spreadsheet-safe.js';

const PAGE = 5000;

export interface ExportOptions {
  label?: string;
  /** Members of the segment's latest snapshot. */
  segmentId?: string;
  /** Masks phone and name (callers without pii.read); the API passes its maskers. */
  mask?: {
    phone: (value: string) => string;
    name: (value: string) => string;
    bsuid: (value: string) => string;
    username: (value: string) => string;
  };
}

/**
 * People as CSV lines (header first), read page by page in id order so an export of any
 * size is never held in memory. Columns: id, phone, bsuid, username, name, language,
 * timezone, opt_in, marketing_opt_in, blocked, labels (';'-separated, as the import reads them), every custom field by key,
 * created_at, last_message_received_at. Erased people are left out.
 */
export async function* exportPeopleCsv(db: DbOrTx, options: ExportOptions = {}): AsyncGenerator<string> {
  let snapshotId: string | undefined;
  if (options.segmentId !== undefined) {
    const snapshot = await db
      .selectFrom('segment_snapshots')
      .select('id')
      .where('segment_id', '=', options.segmentId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!snapshot) {
      throw new AppError('not_found', `segment ${options.segmentId} has no snapshot yet: take one first`, [
        { field: 'segment_id', reason: 'no snapshot of this segment' },
      ]);
    }
    snapshotId = snapshot.id;
  }
  const keys = (await db.selectFrom('custom_fields').select('key').orderBy('key').execute()).map(
    (r) => r.key,
  );
  yield line([
    'id',
    'phone',
    'bsuid',
    'username',
    'name',
    'language',
    'timezone',
    'opt_in',
    'marketing_opt_in',
    'blocked',
    'labels',
    ...keys,
    'created_at',
    'last_message_received_at',
  ]);
  let after = '0';
  for (;;) {
    let query = db
      .selectFrom('contacts')
      .select(personColumns)
      .where('erased_at', 'is', null)
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE);
    if (options.label !== undefined)
      query = query.where('labels', '@>', sql<string[]>`array[${options.label}]::text[]`);
    if (snapshotId !== undefined) {
      const members = sql<string>`(select contact_id from segment_snapshot_members where snapshot_id = ${snapshotId})`;
      query = query.where('id', 'in', members);
    }
    const page = await query.execute();
    if (page.length > 0) yield page.map((p) => line(cells(p, keys, options.mask))).join('');
    if (page.length < PAGE) return;
    after = page.at(-1)!.id;
  }
}

function cells(p: PersonRecord, keys: string[], mask: ExportOptions['mask']): string[] {
  const phone = p.wa_id === null ? '' : phoneOf(p.wa_id);
  const bsuid = p.bsuid ?? '';
  return [
    p.id,
    mask && phone ? mask.phone(phone) : phone,
    mask && bsuid ? mask.bsuid(bsuid) : bsuid,
    p.username === null ? '' : spreadsheetSafe(mask ? mask.username(p.username) : p.username),
    p.name === null ? '' : spreadsheetSafe(mask ? mask.name(p.name) : p.name),
    p.language ?? '',
    p.timezone ?? (p.wa_id === null ? 'UTC' : derivedTimezone(p.wa_id)),
    p.opt_in,
    p.marketing_opt_in,
    String(p.blocked),
    spreadsheetSafe(p.labels.join(';')),
    ...keys.map((k) =>
      p.fields[k] === undefined || p.fields[k] === null ? '' : spreadsheetSafe(String(p.fields[k])),
    ),
    p.created_at.toISOString(),
    p.last_inbound_at?.toISOString() ?? '',
  ];
}

function line(values: string[]): string {
  return `${values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')}\r\n`;
}
