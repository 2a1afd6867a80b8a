import { sql } from 'kysely';
import type { DbOrTx } from '../../../core/db/database.js';
import { AppError } from '../../../core/errors.js';

export interface MessageStatusView {
  id: string;
  channel: string;
  contact_id: string;
  direction: 'inbound' | 'outbound';
  type: string;
  status: string;
  external_id: string | null;
  error: { code: number; title: string | null } | null;
  created_at: Date;
  status_at: Date;
  /** When each status was first reported (from the log's message.status events). */
  timestamps: { queued: Date; sent: Date | null; delivered: Date | null; read: Date | null; failed: Date | null };
}

/** A message's current status and when it reached each one. */
export async function getMessageStatus(db: DbOrTx, id: string): Promise<MessageStatusView> {
  const row = await db
    .selectFrom('messages')
    .select(['id', 'channel', 'contact_id', 'direction', 'kind', 'status', 'external_id', 'error_code', 'error_title', 'created_at', 'status_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `no message ${id}`, [{ field: 'id', reason: 'no such message' }]);
  // Uses the events (contact_id, id) index: a contact's events, then this message's statuses.
  const statuses = await sql<{ status: string; at: Date }>`
    select payload->>'status' as status, min((payload->>'timestamp')::timestamptz) as at
    from events
    where contact_id = ${row.contact_id} and type = 'message.status' and payload->>'message_id' = ${id}
    group by 1`.execute(db);
  const reported = (status: string) => statuses.rows.find((s) => s.status === status)?.at ?? null;
  // Meta reports status times in whole seconds from its own clock, while `queued` is our
  // database's time in microseconds: a message queued at 10:00:00.700 and sent within the
  // same second is reported sent at 10:00:00. Each step is therefore shown no earlier than
  // the step before it (queued <= sent <= delivered <= read; failed >= queued), so the
  // history always reads in the order it happened.
  const timestamps = { queued: row.created_at } as MessageStatusView['timestamps'];
  let floor = row.created_at;
  for (const step of ['sent', 'delivered', 'read'] as const) {
    const at = reported(step);
    timestamps[step] = at && at < floor ? floor : at;
    floor = timestamps[step] ?? floor;
  }
  const failed = reported('failed');
  timestamps.failed = failed && failed < row.created_at ? row.created_at : failed;
  return {
    id: row.id,
    channel: row.channel,
    contact_id: row.contact_id,
    direction: row.direction,
    type: row.kind,
    status: row.status,
    external_id: row.external_id,
    error: row.error_code === null ? null : { code: row.error_code, title: row.error_title },
    created_at: row.created_at,
    status_at: row.status_at,
    timestamps,
  };
}
