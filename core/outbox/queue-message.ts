import type { Tx } from '../db/database.js';
import { AppError, fieldErrorsFromZod } from '../errors.js';
import { append } from '../log/append.js';
import { buildGraphBody, displayText } from './build-graph-body.js';
import {
  type OutboundMessage,
  outboundMessageSchema,
  type ValidOutboundMessage,
} from './outbound-message.schema.js';

/** WhatsApp's customer service window: free-form messages only within 24 h of the person's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface QueuedMessage {
  messageId: string;
  outboxId: string;
  contactId: string;
  waId: string;
  body: Record<string, unknown>;
}

/**
 * Queues one outbound message in the caller's transaction: a `messages` row (outbound,
 * status queued), an `outbox` row that the sender (ingest/whatsapp/sender.ts) delivers, and
 * a `message.queued` event whose NOTIFY wakes the sender on commit. Engine code queues
 * through here because it may not import ingest (DESIGN.md, "Where things live").
 *
 * Refused before anything is written: invalid input (validation_failed, with every field)
 * and a free-form message outside the 24-hour customer service window (window_closed);
 * templates may be sent at any time. A blocked or erased person gets nothing (contact_blocked):
 * blocking stops every outbound message, whoever queues it (issue 6, item 3).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 */
export async function queueMessage(tx: Tx, input: OutboundMessage, now = new Date()): Promise<QueuedMessage> {
  const parsed = outboundMessageSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldErrorsFromZod(parsed.error.issues);
    throw new AppError(
      'validation_failed',
      `invalid outbound message: ${fields.map((f) => `${f.field}: ${f.reason}`).join('; ')}`,
      fields,
    );
  }
  const message = parsed.data;
  const isTemplate = message.message.type === 'template';
  let contact = await findContact(tx, message);
  assertReachable(contact);
  if (!isTemplate) assertWindowOpen(message, contact, now);
  if (!contact) contact = await createContact(tx, message);

  const { messageId, type, body } = await insertMessage(tx, message, contact);
  const outbox = await tx
    .insertInto('outbox')
    .values({
      message_id: messageId,
      kind: 'message',
      state: 'pending',
      channel: message.channel,
      to_wa_id: contact.wa_id,
      body: JSON.stringify(body),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  await append(tx, [
    {
      type: 'message.queued',
      source: message.source,
      channel: message.channel,
      contact_id: contact.id,
      occurred_at: now,
      payload: {
        message_id: messageId,
        wa_id: contact.wa_id,
        message_type: type,
        body,
        text: displayText(message.message),
        template:
          message.message.type === 'template'
            ? { name: message.message.name, language: message.message.language }
            : undefined,
        reply_to: message.reply_to,
        attribution: message.attribution,
      },
    },
  ]);
  return { messageId, outboxId: outbox.id, contactId: contact.id, waId: contact.wa_id, body };
}

interface ContactRow {
  id: string;
  wa_id: string;
  last_inbound_at: Date | null;
  blocked: boolean;
  erased_at: Date | null;
}

async function findContact(tx: Tx, message: ValidOutboundMessage): Promise<ContactRow | undefined> {
  let query = tx
    .selectFrom('contacts')
    .select(['id', 'wa_id', 'last_inbound_at', 'channel', 'blocked', 'erased_at'])
    .where('channel', '=', message.channel);
  if (message.contact_id !== undefined) query = query.where('id', '=', String(message.contact_id));
  else query = query.where('wa_id', '=', message.wa_id!);
  const row = await query.executeTakeFirst();
  if (!row && message.contact_id !== undefined) {
    throw new AppError('not_found', `no contact ${message.contact_id} on channel ${message.channel}`, [
      { field: 'contact_id', reason: `no such contact on channel ${message.channel}` },
    ]);
  }
  return row;
}

function assertReachable(contact: ContactRow | undefined) {
  if (!contact) return;
  const field = 'contact_id';
  if (contact.erased_at !== null) {
    const reason = `contact ${contact.id} was erased (a data-protection request); nothing can be sent to them`;
    throw new AppError('contact_blocked', reason, [{ field, reason }]);
  }
  if (contact.blocked) {
    const reason = `contact ${contact.id} is blocked; unblock them before sending`;
    throw new AppError('contact_blocked', reason, [{ field, reason }]);
  }
}

function assertWindowOpen(message: ValidOutboundMessage, contact: ContactRow | undefined, now: Date) {
  const who = contact ? `contact ${contact.id} (wa_id ${contact.wa_id})` : `wa_id ${message.wa_id}`;
  const last = contact?.last_inbound_at ?? null;
  if (last !== null && now.getTime() - last.getTime() < SERVICE_WINDOW_MS) return;
  const reason =
    last === null
      ? `${who} has never sent a message, so no customer service window is open; send a template`
      : `the customer service window of ${who} closed at ${new Date(last.getTime() + SERVICE_WINDOW_MS).toISOString()} (24 h after their last message); send a template`;
  throw new AppError('window_closed', reason, [{ field: contact ? 'contact_id' : 'wa_id', reason }]);
}

async function createContact(tx: Tx, message: ValidOutboundMessage): Promise<ContactRow> {
  const waId = message.wa_id!;
  // Another transaction (an inbound webhook) may create the same contact: the unique
  // (channel, wa_id) makes one insert win; the other reads the winner's row.
  const inserted = await tx
    .insertInto('contacts')
    .values({ channel: message.channel, wa_id: waId })
    .onConflict((oc) => oc.columns(['channel', 'wa_id']).doNothing())
    .returning(['id', 'wa_id', 'last_inbound_at', 'blocked', 'erased_at'])
    .executeTakeFirst();
  if (inserted) {
    await append(tx, [
      {
        type: 'contact.created',
        source: message.source,
        channel: message.channel,
        contact_id: inserted.id,
        payload: { wa_id: waId, name: null, channel: message.channel },
      },
    ]);
    return inserted;
  }
  return tx
    .selectFrom('contacts')
    .select(['id', 'wa_id', 'last_inbound_at', 'blocked', 'erased_at'])
    .where('channel', '=', message.channel)
    .where('wa_id', '=', waId)
    .executeTakeFirstOrThrow();
}

/** Inserts the message row, then builds the body, which carries the new id for status matching. */
async function insertMessage(tx: Tx, message: ValidOutboundMessage, contact: ContactRow) {
  const kind =
    message.message.type === 'buttons' || message.message.type === 'list'
      ? 'interactive'
      : message.message.type;
  const row = await tx
    .insertInto('messages')
    .values({
      channel: message.channel,
      contact_id: contact.id,
      direction: 'outbound',
      kind,
      status: 'queued',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { type, body } = buildGraphBody(contact.wa_id, message.message, {
    replyTo: message.reply_to,
    callbackData: `parley:${row.id}`,
  });
  return { messageId: row.id, type, body };
}
