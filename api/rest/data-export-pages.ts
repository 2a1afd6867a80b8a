import { randomBytes } from 'node:crypto';
import type { Db } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { rowJsonSql, type WarehouseReader } from '../../warehouse/bigquery/write-batch-file.js';
import { warehouseTable } from '../../warehouse/tables/warehouse-tables.js';
import { columnScrubber, pathScrubber, rulesUnder } from './data/scrub-paths.js';
import { contactShape, messageShape, statusShape } from './data/whatsapp-shapes.js';
import type {
  DataExportCursorRequest,
  DataExportFormat,
  DataExportType,
  ScrubbingRules,
  ScrubRule,
} from './data-export.schema.js';
import { rfc3339Micros } from './schemas/rfc3339.schema.js';

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
  /** Absent in cursors opened before the WhatsApp shapes existed: those are `rows`. */
  format?: DataExportFormat;
  scrubbing_rules: ScrubRule[] | ScrubbingRules;
}

type Page = { data: Record<string, unknown>[]; paging: { next: string | null } | null };

/** Opens an export: stores its parameters and returns the first page's cursor. */
export async function createDataExportCursor(
  db: Db,
  type: DataExportType,
  request: DataExportCursorRequest & { format: DataExportFormat },
  apiTokenId: string | undefined,
): Promise<{ cursor: string; expires_at: Date }> {
  const rules = request.scrubbing_rules;
  if (rules !== undefined && Array.isArray(rules) !== (request.format === 'rows')) {
    throw new AppError(
      'validation_failed',
      `format ${request.format} takes scrubbing_rules as ${request.format === 'rows' ? 'a list of column rules' : 'an object of JSON path rules'}`,
      [{ field: 'scrubbing_rules', reason: `does not match format ${request.format}` }],
    );
  }
  const id = randomBytes(16).toString('base64url');
  const expiresAt = new Date(Date.now() + cursorLifetimeMs);
  const params: StoredParams = {
    from_us: request.from ? String(rfc3339Micros(request.from)) : '-62135596800000000',
    // Pinned at creation, so the export does not grow while it is read.
    until_us: request.until ? String(rfc3339Micros(request.until)) : String(BigInt(Date.now()) * 1000n),
    ordering: request.ordering,
    page_size: request.page_size,
    format: request.format,
    scrubbing_rules: rules ?? (request.format === 'rows' ? [] : {}),
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
 * `senderOf` names the business number a message went out from (the channel's phone number id).
 */
export async function readDataExportPage(
  db: Db,
  reader: WarehouseReader,
  type: DataExportType,
  cursor: string,
  senderOf: (channel: unknown) => string | null = () => null,
): Promise<Page> {
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
  const format = params.format ?? 'rows';
  const source = sources[type];
  const table = warehouseTable(source.table);
  const t = `epoch_us("${source.time}")`;
  const key = `"${source.id}"`;
  const [cmp, dir] = params.ordering === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
  const after = afterTime === undefined ? '' : `AND (${t} ${cmp} $3 OR (${t} = $3 AND ${key} ${cmp} $4))`;
  // The webhook shape of a received message carries the person's profile name.
  const name =
    format === 'whatsapp' && type === 'messages'
      ? `, (SELECT c.name FROM contacts c WHERE c.contact_id = "${table.name}".contact_id) AS contact_name`
      : '';
  const sql = `SELECT ${t}::VARCHAR AS k1, ${key}::VARCHAR AS k2, ${rowJsonSql(table)} AS row ${name}
    FROM "${table.name}" WHERE ${t} >= $1 AND ${t} < $2 ${after}
    ORDER BY ${t} ${dir}, ${key} ${dir} LIMIT ${params.page_size + 1}`;
  const values = [BigInt(params.from_us), BigInt(params.until_us)];
  if (afterTime !== undefined) values.push(BigInt(afterTime), BigInt(afterId!));
  const rows = await reader.query(sql, values);
  const page = rows.slice(0, params.page_size);
  const last = page.at(-1);
  const next = rows.length > params.page_size && last ? `${id}~${last.k1}~${last.k2}` : null;
  if (format === 'rows') {
    const scrub = columnScrubber(params.scrubbing_rules as ScrubRule[]);
    const data = page.map((r) => {
      const row = JSON.parse(String(r.row)) as Record<string, unknown>;
      scrub(row);
      return row;
    });
    return { data, paging: { next } };
  }
  const data = page.map((r) => {
    const row = JSON.parse(String(r.row)) as Record<string, unknown>;
    if (r.contact_name !== undefined) row.contact_name = r.contact_name;
    return row;
  });
  // Turn.io's pages have `paging: {next}` while more remain, and no paging object after the last.
  return {
    data: whatsappItems(type, data, params.scrubbing_rules as ScrubbingRules, senderOf),
    paging: next ? { next } : null,
  };
}

function whatsappItems(
  type: DataExportType,
  rows: Record<string, unknown>[],
  rules: ScrubbingRules,
  senderOf: (channel: unknown) => string | null,
): Record<string, unknown>[] {
  if (type === 'contacts') {
    const scrub = pathScrubber(rulesUnder(rules.inbound, 'contacts'));
    return rows.map((row) => {
      const item = contactShape(row);
      scrub(item);
      return item;
    });
  }
  if (type === 'statuses') {
    const scrub = pathScrubber(rules.outbound ?? {});
    return rows.map((row) => {
      const item = statusShape(row);
      scrub(item);
      return item;
    });
  }
  const inbound = pathScrubber(rules.inbound ?? {});
  const outbound = pathScrubber(rules.outbound ?? {});
  return rows.map((row) => {
    const item = messageShape(row, senderOf);
    (row.direction === 'inbound' ? inbound : outbound)(item);
    return item;
  });
}
