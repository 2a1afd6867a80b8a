import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import {
  claimLeased,
  fencedUpdate,
  type LeasedTable,
  nextLeasedDueInMs,
} from '../../core/jobs/leased-rows.js';
import { append } from '../../core/log/append.js';
import type { GraphSendError } from './graph-client.js';
import { settleSentBatch } from './settle-sent-batch.js';

/** An outbox row claimed by this sender for one attempt. */
export interface ClaimedRow {
  id: string;
  message_id: string | null;
  contact_id: string | null;
  kind: 'message' | 'mark_read';
  channel: string;
  /** The phone number it goes to, or null when it goes to `to_bsuid` (the Cloud API's `recipient`). */
  to_wa_id: string | null;
  to_bsuid: string | null;
  body: Record<string, unknown>;
  /** Attempts including this one; also the fence for settling (see settleRetry). */
  attempts: number;
  /** The person was blocked or erased since the row was queued: it must not be sent. */
  stopped: boolean;
}

/**
 * The outbox is claimed with core/jobs' leased-row functions: a row stays the sender's unit of
 * work (no job row per message: that would add a write to every send at 1,000 messages/s), but
 * its claim, lease and attempt fence are the jobs' own. The lease has its own column,
 * claimed_until, so that a row in flight can be told from one waiting for its retry (a
 * blocked person's waiting rows are failed at once, core/outbox/fail-pending-sends.ts).
 */
const outboxTable: LeasedTable = { name: 'outbox', due: 'next_attempt_at', lease: 'claimed_until' };

/**
 * Claims up to `limit` due rows of one channel in a short transaction (claimLeased: SKIP
 * LOCKED, a lease, attempts + 1). Each row says whether its person has been blocked or erased
 * since it was queued (`stopped`): the sender fails it unsent.
 */
export async function claimDue(
  db: Db,
  channel: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedRow[]> {
  const rows = await claimLeased<ClaimedRow>(db, outboxTable, {
    where: sql`state = 'pending' and channel = ${channel}`,
    limit,
    leaseMs,
    returning: sql`t.id, t.message_id, t.kind, t.channel, t.to_wa_id, t.to_bsuid, t.body, t.attempts,
      (select m.contact_id from messages m where m.id = t.message_id) as contact_id,
      coalesce((select c.blocked or c.erased_at is not null from messages m join contacts c on c.id = m.contact_id
                where m.id = t.message_id), false) as stopped`,
  });
  return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Milliseconds until a pending row of these channels can next be claimed (null: none pending). */
export async function nextClaimableInMs(db: Db, channels: readonly string[]): Promise<number | null> {
  return nextLeasedDueInMs(db, outboxTable, sql`state = 'pending' and channel = any(${channels}::text[])`);
}

export async function countPending(db: Db, channels: readonly string[]): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from outbox where state = 'pending' and channel = any(${channels}::text[])`.execute(
    db,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Meta accepted the request. Runs even if this sender's lease has expired: the message went
 * out. Status stays forward-only (queued < accepted/sent < delivered < read): a status
 * webhook may have arrived before this settle. A second settle for the same message (a
 * duplicate send after a lost lease) changes nothing and its message.sent is skipped by
 * the idempotency key.
 */
export async function settleSent(db: Db, row: ClaimedRow, wamid: string | null, messageStatus?: string) {
  if (row.kind === 'message') return settleSentBatch(db, [{ row, wamid, messageStatus }]);
  await db.transaction().execute(async (tx) => {
    const updated = await sql`
      update outbox set state = 'sent', claimed_until = null, last_error = null, updated_at = now()
      where id = ${row.id} and state = 'pending'`.execute(tx);
    if (Number(updated.numAffectedRows ?? 0) === 0) return;
    await append(tx, [
      {
        type: 'message.marked_read',
        source: 'sender',
        channel: row.channel,
        contact_id: row.contact_id ?? (row.to_wa_id ? await contactOf(tx, row.channel, row.to_wa_id) : null),
        idempotency_key: `marked-read:${row.id}`,
        payload: { external_id: String(row.body.message_id) },
      },
    ]);
  });
}

/**
 * Schedules another attempt. Fenced on `attempts`: if the lease expired and another sender
 * claimed the row since, this stale answer changes nothing.
 */
export async function settleRetry(db: Db, row: ClaimedRow, delayMs: number, error: GraphSendError) {
  await fencedUpdate(db, outboxTable, row, {
    set: sql`next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}), claimed_until = null,
      last_error = ${describeError(error)}`,
    where: sql`state = 'pending'`,
  });
}

/** Gives a claimed row back untouched (the sender is stopping before it sent it). */
export async function releaseClaim(db: Db, row: ClaimedRow) {
  await fencedUpdate(db, outboxTable, row, {
    set: sql`claimed_until = null, attempts = attempts - 1`,
    where: sql`state = 'pending'`,
  });
}

/**
 * A permanent error (or retries exhausted): the outbox row and the message are failed, and
 * a `message.status` failed event carries Meta's code and title. `code` 0 means there was
 * no Meta error code (the last attempt was a network error or a timeout).
 */
export async function settleFailed(db: Db, row: ClaimedRow, error: GraphSendError) {
  await db.transaction().execute(async (tx) => {
    const held = await fencedUpdate(tx, outboxTable, row, {
      set: sql`state = 'failed', claimed_until = null, last_error = ${describeError(error)}`,
      where: sql`state = 'pending'`,
    });
    if (!held || row.kind !== 'message' || !row.message_id) return;
    const code = error.code ?? 0;
    await sql`
      update messages set status = 'failed', status_at = now(), error_code = ${code}, error_title = ${error.title}
      where id = ${row.message_id} and status = 'queued'`.execute(tx);
    await append(tx, [
      {
        type: 'message.status',
        source: 'sender',
        channel: row.channel,
        contact_id: row.contact_id,
        idempotency_key: `send-failed:${row.message_id}`,
        payload: {
          message_id: row.message_id,
          external_id: null,
          status: 'failed',
          timestamp: new Date().toISOString(),
          ...(row.to_wa_id && { recipient_id: row.to_wa_id }),
          ...(row.to_bsuid && { recipient_user_id: row.to_bsuid }),
          errors: [{ code, title: error.title, message: error.message }],
        },
      },
    ]);
  });
}

export function describeError(error: GraphSendError): string {
  const where = error.httpStatus === null ? 'no answer' : `HTTP ${error.httpStatus}`;
  const code = error.code === null ? '' : ` code ${error.code}`;
  return `${where}${code}: ${error.title}${error.message !== error.title ? ` (${error.message})` : ''}`.slice(
    0,
    2000,
  );
}

async function contactOf(
  tx: Parameters<typeof append>[0],
  channel: string,
  waId: string,
): Promise<string | null> {
  const row = await tx
    .selectFrom('contacts')
    .select('id')
    .where('channel', '=', channel)
    .where('wa_id', '=', waId)
    .executeTakeFirst();
  return row?.id ?? null;
}
