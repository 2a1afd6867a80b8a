import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../db/database.js';
import { AppError } from '../errors.js';
import { append } from './append.js';
import { eraseLeftovers } from './erasure/erase-leftovers.js';
import { erasureSecret } from './erasure/erasure-secret.js';
import { identifierHash } from './erasure/identifier-hash.js';
import { personIdentifiers } from './erasure/person-identifiers.js';
import { type HashWamid, scrubIdempotencyKey, scrubPayload } from './erasure/scrub-payload.js';

export interface EraseContactInput {
  contactId: string;
  /** Who asked, as contact.updated's `by` (`user:<id>`, `api_token:<id>`, `system`). */
  by: string;
  /** Free text such as a ticket number; must not contain personal data. */
  reason?: string;
}

export interface EraseContactResult {
  /** `already_erased`: nothing was changed by this call (erasing twice is a no-op). */
  status: 'erased' | 'already_erased';
  contactId: string;
  erasedAt: Date;
  /** Log events of the person whose payload was scrubbed by this call. */
  scrubbedEvents: number;
  /** Outbound messages still waiting to be sent, now failed instead. */
  cancelledMessages: number;
}

/** The value that replaces an erased person's wa_id (not null and unique per channel). */
export const erasedWaId = (contactId: string) => `erased:${contactId}`;

/**
 * Erases a person's personal data (a data-protection request; DESIGN.md principle 1's one
 * exception) in one transaction: blanks the contacts row (the row stays, for counts), empties
 * the outbox rows addressed to them and fails those not sent yet, scrubs the payloads of
 * their events in the log (scrub-payload.ts says what stays), and appends contact.erased,
 * which every mirror applies when it reads it. The log's append-only trigger allows the
 * scrub only inside this function (sql/migrations/0011_erasure.sql).
 *
 * Events appended here for the person come after contact.erased, so a mirror never blanks
 * them: a mirror blanks only what came before the erasure.
 */
export async function eraseContact(db: DbOrTx, input: EraseContactInput): Promise<EraseContactResult> {
  if (!/^\d+$/.test(input.contactId)) {
    throw new AppError('validation_failed', 'contact id must be a decimal id', [
      { field: 'id', reason: 'must be a decimal id' },
    ]);
  }
  if (db.isTransaction) return eraseIn(db as Tx, input);
  return db.transaction().execute((tx) => eraseIn(tx, input));
}

async function eraseIn(tx: Tx, input: EraseContactInput): Promise<EraseContactResult> {
  const { contactId } = input;
  const contact = await tx
    .selectFrom('contacts')
    .select(['id', 'channel', 'wa_id', 'bsuid', 'erased_at'])
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
  if (!contact) {
    throw new AppError('not_found', `no contact ${contactId}`, [{ field: 'id', reason: 'no such contact' }]);
  }
  if (contact.erased_at !== null) {
    return {
      status: 'already_erased',
      contactId,
      erasedAt: contact.erased_at,
      scrubbedEvents: 0,
      cancelledMessages: 0,
    };
  }
  const secret = await erasureSecret(tx);
  const hashWamid: HashWamid = (wamid) => identifierHash(secret, 'wamid', wamid);
  const identifiers = await personIdentifiers(tx, { id: contactId, wa_id: contact.wa_id });
  const { scrubbed: scrubbedEvents, links } = await scrubContactLog(tx, contactId, hashWamid);
  const unattributed = await eraseLeftovers(tx, contactId, identifiers, hashWamid);
  // Ingest finds a retried webhook or a late status of these messages by the same hash.
  await hashMessageIds(tx, contactId, hashWamid);
  const erasedAt = new Date();
  await tx
    .updateTable('contacts')
    .set({
      wa_id: erasedWaId(contactId),
      bsuid: null,
      parent_bsuid: null,
      username: null,
      name: null,
      language: null,
      timezone: null,
      labels: [],
      fields: '{}',
      erased_at: erasedAt,
      updated_at: erasedAt,
    })
    .where('id', '=', contactId)
    .execute();
  const cancelled = await emptyOutbox(tx, { ...contact, id: contactId });
  await append(tx, [
    {
      type: 'contact.erased',
      source: 'api',
      occurred_at: erasedAt,
      contact_id: contactId,
      channel: contact.channel,
      payload: {
        by: input.by,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
        ...(unattributed.length === 0 ? {} : { events: unattributed }),
        ...(links.length === 0 ? {} : { links }),
      },
    },
  ]);
  // As the sender records a send that failed for good (ingest/whatsapp/sender-outbox.ts).
  await append(
    tx,
    cancelled.map((messageId) => ({
      type: 'message.status' as const,
      source: 'sender',
      channel: contact.channel,
      contact_id: contactId,
      idempotency_key: `send-failed:${messageId}`,
      payload: {
        message_id: messageId,
        external_id: null,
        status: 'failed',
        timestamp: erasedAt.toISOString(),
        errors: [{ code: 0, title: 'contact erased' }],
      },
    })),
  );
  return { status: 'erased', contactId, erasedAt, scrubbedEvents, cancelledMessages: cancelled.length };
}

/**
 * Rewrites the payload (and an idempotency key that may hold their number) of every event
 * of the person, wamids hashed (by `hashWamid`, else under the erasure secret).
 * `parley.erasing` (transaction-local) names the one contact whose rows the trigger lets this
 * transaction change, those two columns only; it is cleared again before anything else runs.
 * Returns how many events changed and, for contact.erased, the links: `[event id, message id]`
 * of every status or read marker that joins its message only by wamid (a status logged before
 * the sender recorded the wamid, a read marker of an inbound message), read from the log
 * before the rewrite. Once wamids are hashed a mirror may have read one side of such a pair
 * with the wamid and the other with the hash; the link joins them alike in every mirror.
 */
export async function scrubContactLog(
  tx: Tx,
  contactId: string,
  hashWamid?: HashWamid,
): Promise<{ scrubbed: number; links: [string, string][] }> {
  if (!hashWamid) {
    const secret = await erasureSecret(tx);
    return scrubContactLog(tx, contactId, (wamid) => identifierHash(secret, 'wamid', wamid));
  }
  const links = await wamidLinks(tx, contactId);
  const events = await sql<{
    id: string;
    type: string;
    schema_version: number;
    idempotency_key: string | null;
    payload: unknown;
  }>`
    select id, type, schema_version, idempotency_key, payload from events where contact_id = ${contactId}
    order by id`.execute(tx);
  if (events.rows.length === 0) return { scrubbed: 0, links };
  const ids = events.rows.map((e) => e.id);
  const payloads = events.rows.map((e) =>
    JSON.stringify(scrubPayload(e.type, e.schema_version, e.payload, hashWamid)),
  );
  const keys = events.rows.map((e) => scrubIdempotencyKey(e.id, e.idempotency_key, hashWamid));
  await sql`select set_config('parley.erasing', ${contactId}, true)`.execute(tx);
  await sql`
    update events set payload = s.payload::jsonb, idempotency_key = s.key
    from unnest(${ids}::bigint[], ${payloads}::text[], ${keys}::text[]) as s(id, payload, key)
    where events.id = s.id and events.contact_id = ${contactId}`.execute(tx);
  await sql`select set_config('parley.erasing', '', true)`.execute(tx);
  return { scrubbed: events.rows.length, links };
}

async function wamidLinks(tx: Tx, contactId: string): Promise<[string, string][]> {
  const { rows } = await sql<{ event_id: string; message_id: string }>`
    with sent as (
      select distinct on (payload->>'external_id') payload->>'external_id' as wamid, payload->>'message_id' as message_id
      from events
      where contact_id = ${contactId} and type in ('message.received', 'message.sent')
        and payload->>'external_id' is not null and payload->>'message_id' is not null
      order by payload->>'external_id', id
    )
    select e.id::text as event_id, sent.message_id
    from events e join sent on sent.wamid = e.payload->>'external_id'
    where (e.contact_id = ${contactId} or (e.contact_id is null and e.type = 'message.status'))
      and (e.type = 'message.marked_read' or (e.type = 'message.status' and e.payload->>'message_id' is null))
    order by e.id`.execute(tx);
  return rows.map((r) => [r.event_id, r.message_id]);
}

/** The person's messages keep their rows, with each wamid replaced by its hash. */
async function hashMessageIds(tx: Tx, contactId: string, hashWamid: HashWamid) {
  const rows = await tx
    .selectFrom('messages')
    .select(['id', 'external_id'])
    .where('contact_id', '=', contactId)
    .where('external_id', 'is not', null)
    .where('external_id', 'not like', 'hmac:%')
    .execute();
  if (rows.length === 0) return;
  await sql`
    update messages set external_id = s.hashed
    from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => hashWamid(r.external_id!))}::text[]) as s(id, hashed)
    where messages.id = s.id`.execute(tx);
}

/**
 * Outbox rows addressed to the person (their messages, and read receipts sent to their
 * number) lose body and number; those still pending become failed, with their message.
 * Returns the ids of the messages that will now never be sent.
 */
async function emptyOutbox(
  tx: Tx,
  contact: { id: string; channel: string; wa_id: string | null; bsuid: string | null },
): Promise<string[]> {
  const rows = await sql<{ message_id: string | null; was_pending: boolean }>`
    update outbox set body = '{}'::jsonb, to_wa_id = ${erasedWaId(contact.id)}, to_bsuid = null,
      last_error = case when state = 'pending' then 'contact erased' else last_error end,
      claimed_until = case when state = 'pending' then null else claimed_until end,
      state = case when state = 'pending' then 'failed' else state end, updated_at = now()
    from (select id, state = 'pending' as was_pending from outbox
          where message_id in (select id from messages where contact_id = ${contact.id})
             or (channel = ${contact.channel} and to_wa_id = ${contact.wa_id})
             or (channel = ${contact.channel} and to_bsuid = ${contact.bsuid})
          for update) o
    where outbox.id = o.id
    returning outbox.message_id, o.was_pending`.execute(tx);
  const cancelled = rows.rows.filter((r) => r.was_pending && r.message_id !== null).map((r) => r.message_id!);
  if (cancelled.length > 0) {
    await sql`
      update messages set status = 'failed', status_at = now(), error_code = 0, error_title = 'contact erased'
      where id = any(${cancelled}::bigint[]) and status = 'queued'`.execute(tx);
  }
  return cancelled;
}
