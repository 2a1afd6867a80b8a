import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { logReadOrder, logReadRule } from './read-rule.js';

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

/** Reads events after `cursor`, oldest first, by the log's read rule (read-rule.ts). */
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
    where ${sql.raw(logReadRule(cursor))}
    order by ${sql.raw(logReadOrder())}
    limit ${limit}`.execute(db);
  return result.rows;
}
