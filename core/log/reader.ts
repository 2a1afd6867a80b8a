import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';

/** A position in the log: the (xid, id) of the last event read. See DESIGN.md, "Data flow". */
export interface LogCursor {
  xid: string;
  id: string;
}

export const START_OF_LOG: LogCursor = { xid: '0', id: '0' };

export interface StoredEvent<P = unknown> {
  id: string;
  xid: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  contact_id: string | null;
  channel: string | null;
  source: string;
  idempotency_key: string | null;
  /** Parsed JSON, or the JSON text when read with `payloadAsText` (the warehouse's fast path). */
  payload: P;
}

/**
 * Reads events after `cursor`, oldest first in (xid, id) order, and only those below the
 * visibility horizon: every transaction with an xid under pg_snapshot_xmin has finished and
 * no new row can get such an xid, so nothing can later appear behind the cursor. Identity
 * ids alone do not follow commit order and would skip a transaction that commits late.
 */
export async function readEvents(
  db: DbOrTx,
  cursor: LogCursor,
  options: { limit?: number; payloadAsText?: boolean } = {},
): Promise<StoredEvent[]> {
  const limit = options.limit ?? 500;
  const payload = options.payloadAsText ? sql`payload::text` : sql`payload`;
  const result = await sql<StoredEvent>`
    select id, xid::text as xid, type, schema_version, occurred_at, recorded_at, contact_id, channel,
           source, idempotency_key, ${payload} as payload
    from events
    where (xid, id) > (${cursor.xid}::xid8, ${cursor.id}::bigint)
      and xid < pg_snapshot_xmin(pg_current_snapshot())
    order by events.xid, events.id
    limit ${limit}`.execute(db);
  return result.rows;
}
