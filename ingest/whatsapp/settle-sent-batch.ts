import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import type { ClaimedRow } from './sender-outbox.js';

/** One message Meta accepted, waiting to be settled. */
export interface SentMessage {
  row: ClaimedRow;
  wamid: string | null;
  messageStatus?: string;
}

/**
 * settleSent for many messages in one transaction, with the same effects row by row: the
 * outbox rows become sent, each message takes its wamid and moves forward from queued, and
 * one message.sent each is appended (idempotency key sent:<id>, so a settle repeated after a
 * lost lease adds nothing). Rows are locked in id order, the order every other writer of
 * outbox and messages uses, so batches never deadlock with status webhooks.
 */
export async function settleSentBatch(db: Db, sent: readonly SentMessage[]): Promise<void> {
  if (sent.length === 0) return;
  const byOutboxId = [...sent].sort((a, b) => (BigInt(a.row.id) < BigInt(b.row.id) ? -1 : 1));
  const messages = byOutboxId.filter(
    (s): s is SentMessage & { wamid: string; row: ClaimedRow & { message_id: string } } =>
      s.row.kind === 'message' && s.wamid !== null && s.row.message_id !== null,
  );
  const messageIds = messages.map((s) => s.row.message_id);
  await db.transaction().execute(async (tx) => {
    await sql`
      update outbox set state = 'sent', claimed_until = null, last_error = null, updated_at = now()
      where id in (select id from outbox where id = any(${byOutboxId.map((s) => s.row.id)}::bigint[])
                   and state = 'pending' order by id for update)`.execute(tx);
    if (messages.length === 0) return;
    await sql`select id from messages where id = any(${messageIds}::bigint[]) order by id for update`.execute(
      tx,
    );
    await sql`
      update messages m
      set external_id = coalesce(m.external_id, v.wamid),
          status = case when m.status = 'queued' then v.status else m.status end,
          status_at = case when m.status = 'queued' then now() else m.status_at end
      from unnest(${messageIds}::bigint[], ${messages.map((s) => s.wamid)}::text[],
                  ${messages.map((s) => (s.messageStatus === 'accepted' ? 'accepted' : 'sent'))}::text[])
           as v(id, wamid, status)
      where m.id = v.id`.execute(tx);
    await append(
      tx,
      messages.map((s) => ({
        type: 'message.sent',
        source: 'sender',
        channel: s.row.channel,
        contact_id: s.row.contact_id,
        idempotency_key: `sent:${s.row.message_id}`,
        payload: { message_id: s.row.message_id, external_id: s.wamid, attempts: s.row.attempts },
      })),
    );
  });
}

/**
 * Group commit for settles: a settle that arrives while a batch is being written waits for
 * the next batch, so at 1,000 messages/s the sender writes a few dozen transactions a second
 * instead of a thousand (one per message made the database the bottleneck of sending). A
 * failing batch is retried row by row, so one bad row never fails the settles of the others.
 * Only message rows come here; mark-read rows keep their own settle (settleSent).
 */
export function createSettleBatcher(db: Db, maxBatch = 500) {
  let waiting: { sent: SentMessage; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing = false;

  async function writeBatches() {
    writing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        try {
          await settleSentBatch(
            db,
            batch.map((w) => w.sent),
          );
          for (const w of batch) w.resolve();
        } catch {
          for (const w of batch) {
            await settleSentBatch(db, [w.sent]).then(w.resolve, w.reject);
          }
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    sent(row: ClaimedRow, wamid: string | null, messageStatus?: string): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ sent: { row, wamid, messageStatus }, resolve, reject });
        if (!writing) void writeBatches();
      });
    },
  };
}
