import type { Json } from '@duckdb/node-api';
import type { Mirror } from '../../warehouse/duckdb/mirror.js';
import { SqlError } from '../../warehouse/sandbox/sql-error.js';

/**
 * Whose SQL runs: without `pii.read` it reads the masked catalogue (warehouse/sandbox). The
 * API binds it to the warehouse per request, so every segment function runs as its caller.
 */
export interface SegmentCaller {
  canReadPii: boolean;
}

/** What segments need of the warehouse: the sandbox for user SQL, the trusted reader and the status. */
export type SegmentWarehouse = Pick<Mirror, 'sandbox' | 'status' | 'query'> & SegmentCaller;

export interface SegmentCount {
  count: number;
  /** The mirror's log position in the data counted. */
  logPosition: string;
  asOf: string;
}

export interface SegmentPreview extends SegmentCount {
  rows: { contact_id: string; name: string | null; wa_id: string | null; labels: string[] }[];
  /** How old the data is: the mirror's lag, or the view's age when it predates the last batch. */
  lagSeconds: number;
  sql: string;
}

/** A trailing semicolon is allowed in the editor but would break the wrapping subquery. */
export function normaliseSegmentSql(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').trimEnd();
}

const needsContactId = (error: unknown) =>
  error instanceof SqlError &&
  /"contact_id"/.test(error.message) &&
  /not found|does not have a column|Referenced column/.test(error.message)
    ? new SqlError('a segment must return a contact_id column')
    : error;

/** Counts distinct contact ids of a segment's SQL in the sandbox. */
export async function countSegment(
  warehouse: Pick<Mirror, 'sandbox'> & SegmentCaller,
  sql: string,
  timeoutMs?: number,
): Promise<SegmentCount> {
  const result = await warehouse
    .sandbox(normaliseSegmentSql(sql), {
      canReadPii: warehouse.canReadPii,
      timeoutMs,
      wrap: { before: 'SELECT count(DISTINCT segment.contact_id)::BIGINT AS n FROM (', after: '\n) segment' },
    })
    .catch((error: unknown) => {
      throw needsContactId(error);
    });
  return { count: Number(result.rows[0]?.n ?? 0), logPosition: result.logPosition, asOf: result.asOf };
}

/**
 * Count plus the first 50 people (by id) with their name, WhatsApp id and labels, and how
 * fresh the data is. The user's SQL only picks the people (in the caller's catalogue); their
 * profile comes from our own trusted read, unmasked: the caller masks it unless the user may
 * and chose to see it.
 */
export async function previewSegment(warehouse: SegmentWarehouse, sql: string): Promise<SegmentPreview> {
  const normalised = normaliseSegmentSql(sql);
  const counted = await countSegment(warehouse, normalised);
  const result = await warehouse.sandbox(normalised, {
    canReadPii: warehouse.canReadPii,
    rowLimit: 50,
    wrap: {
      before: `SELECT c.contact_id::VARCHAR AS contact_id FROM contacts c WHERE c.contact_id IN (SELECT TRY_CAST(segment.contact_id AS BIGINT) FROM (`,
      after: '\n) segment) ORDER BY c.contact_id LIMIT 50',
    },
  });
  const ids = result.rows.map((row) => String(row.contact_id)).filter((id) => /^\d+$/.test(id));
  // COLUMNS(regex) picks the profile columns the contacts table has; ids are digits only.
  const people =
    ids.length === 0
      ? []
      : await warehouse.query(
          `SELECT contact_id::VARCHAR AS contact_id, COLUMNS('^(name|wa_id|labels)$') FROM contacts
           WHERE contact_id IN (${ids.join(', ')}) ORDER BY contacts.contact_id`,
        );
  const status = await warehouse.status();
  // A view that holds every applied event is as fresh as the mirror itself (0 s when caught up);
  // an older view is as old as its attach, or the mirror's lag when that is larger.
  const current = status.cursor?.log_position === result.logPosition;
  const age = current ? 0 : (Date.now() - Date.parse(result.asOf)) / 1000;
  return {
    ...counted,
    rows: people.map((row) => ({
      contact_id: String(row.contact_id),
      name: typeof row.name === 'string' ? row.name : null,
      wa_id: typeof row.wa_id === 'string' ? row.wa_id : null,
      labels: Array.isArray(row.labels)
        ? row.labels.filter((l: Json): l is string => typeof l === 'string')
        : [],
    })),
    lagSeconds: Math.round(Math.max(age, status.lag_seconds) * 10) / 10,
    sql: normalised,
  };
}
