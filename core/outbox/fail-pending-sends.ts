import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import { append } from '../log/append.js';

/**
 * When a person is blocked, what is still waiting to go to them never goes: their pending
 * outbox rows (queued, or waiting for a retry) become failed with `reason` as last_error, their
 * messages fail, and each failure is logged as the sender logs a send that failed for good (a
 * `message.status` failed event keyed `send-failed:<message id>`). A row a sender holds right
 * now (its lease runs) is in flight to Meta and is left to finish; the sender re-checks the
 * person when it claims a row (ingest/whatsapp/sender-outbox.ts), which covers rows queued in
 * a race with the block. Returns the ids of the messages that will now never be sent.
 */
export async function failPendingSends(
  tx: Tx,
  input: { contactId: string; reason: string },
): Promise<string[]> {
  const { rows } = await sql<{ message_id: string; channel: string }>`
    update outbox set state = 'failed', last_error = ${input.reason}, claimed_until = null, updated_at = now()
    from (select o.id from outbox o join messages m on m.id = o.message_id
          where m.contact_id = ${input.contactId} and o.state = 'pending'
            and (o.claimed_until is null or o.claimed_until < now())
          order by o.id
          for update of o) pending
    where outbox.id = pending.id
    returning outbox.message_id::text as message_id, outbox.channel`.execute(tx);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.message_id);
  await sql`
    update messages set status = 'failed', status_at = now(), error_code = 0, error_title = ${input.reason}
    where id = any(${ids}::bigint[]) and status = 'queued'`.execute(tx);
  const now = new Date().toISOString();
  await append(
    tx,
    rows.map((r) => ({
      type: 'message.status' as const,
      source: 'sender',
      channel: r.channel,
      contact_id: input.contactId,
      idempotency_key: `send-failed:${r.message_id}`,
      payload: {
        message_id: r.message_id,
        external_id: null,
        status: 'failed',
        timestamp: now,
        errors: [{ code: 0, title: input.reason }],
      },
    })),
  );
  return ids;
}
