import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { rowJsonSql, type WarehouseReader } from '../../warehouse/bigquery/write-batch-file.js';
import { warehouseTable } from '../../warehouse/tables/warehouse-tables.js';
import type { DataExportCursorRequest, DataExportType, ScrubRule } from './data-export.schema.js';

/** Each type's warehouse table and its unique, immutable ordering key (time, id). */
const sources: Record<DataExportType, { table: string; time: string; id: string }> = {
  messages: { table: 'messages', time: 'created_at', id: 'message_id' },
  statuses: { table: 'message_statuses', time: 'status_at', id: 'event_id' },
  contacts: { table: 'contacts', time: 'created_at', id: 'contact_id' },
};

const cursorLifetimeMs = 24 * 3600 * 1000;

interface StoredParams {
  from_us: string;
  until_us: string;
  ordering: 'asc' | 'desc';
  page_size: number;
  scrubbing_rules: ScrubRule[];
}

const micros = (iso: string) => (BigInt(new Date(iso).getTime()) * 1000n).toString();

/** Opens an export: stores its parameters and returns the first page's cursor. */
export async function createDataExportCursor(
  db: Db,
  type: DataExportType,
  request: DataExportCursorRequest,
  apiTokenId: string | undefined,
): Promise<{ cursor: string; expires_at: Date }> {
  const id = randomBytes(16).toString('base64url');
  const expiresAt = new Date(Date.now() + cursorLifetimeMs);
  const params: StoredParams = {
    from_us: request.from ? micros(request.from) : '-62135596800000000',
    // Pinned at creation, so the export does not grow while it is read.
    until_us: micros(request.until ?? new Date().toISOString()),
    ordering: request.ordering,
    page_size: request.page_size,
    scrubbing_rules: request.scrubbing_rules,
  };
  await db
    .insertInto('data_export_cursors')
    .values({
      id,
      data_type: type,
      params: JSON.stringify(params),
      api_token_id: apiTokenId ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { cursor: id, expires_at: expiresAt };
}

/**
 * One page, by keyset pagination on (time, id): the cursor carries the key of the last row
 * sent, so a page starts strictly after it and never splits or repeats a row, whatever
 * arrived in between. Reads page_size + 1 rows to know whether a next page exists.
 */
export async function readDataExportPage(
  db: Db,
  reader: WarehouseReader,
  type: DataExportType,
  cursor: string,
): Promise<{ data: Record<string, unknown>[]; paging: { next: string | null } }> {
  const [id, afterTime, afterId] = cursor.split('~');
  const stored = await db
    .selectFrom('data_export_cursors')
    .select(['params', 'expires_at', 'data_type'])
    .where('id', '=', id!)
    .executeTakeFirst();
  if (!stored || stored.data_type !== type) throw new AppError('not_found', `no ${type} export cursor ${id}`);
  if (stored.expires_at.getTime() < Date.now()) {
    throw new AppError(
      'not_found',
      `this cursor expired at ${stored.expires_at.toISOString()}: open a new one`,
    );
  }
  const params = stored.params as StoredParams;
  const source = sources[type];
  const table = warehouseTable(source.table);
  const t = `epoch_us("${source.time}")`;
  const key = `"${source.id}"`;
  const [cmp, dir] = params.ordering === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
  const after = afterTime === undefined ? '' : `AND (${t} ${cmp} $3 OR (${t} = $3 AND ${key} ${cmp} $4))`;
  const sql = `SELECT ${t}::VARCHAR AS k1, ${key}::VARCHAR AS k2, ${rowJsonSql(table)} AS row
    FROM "${table.name}" WHERE ${t} >= $1 AND ${t} < $2 ${after}
    ORDER BY ${t} ${dir}, ${key} ${dir} LIMIT ${params.page_size + 1}`;
  const values = [BigInt(params.from_us), BigInt(params.until_us)];
  if (afterTime !== undefined) values.push(BigInt(afterTime), BigInt(afterId!));
  const rows = await reader.query(sql, values);
  const page = rows.slice(0, params.page_size);
  const last = page.at(-1);
  const next = rows.length > params.page_size && last ? `${id}~${last.k1}~${last.k2}` : null;
  return {
    data: page.map((r) => scrub(JSON.parse(String(r.row)), params.scrubbing_rules)),
    paging: { next },
  };
}

function scrub(row: Record<string, unknown>, rules: readonly ScrubRule[]): Record<string, unknown> {
  for (const rule of rules) {
    const value = row[rule.field];
    if (value === null || value === undefined) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    row[rule.field] =
      rule.action === 'hash'
        ? createHash('sha256').update(text).digest('hex')
        : text.replace(new RegExp(rule.pattern, 'g'), rule.replacement);
  }
  return row;
}
