import type { Tx } from '../db/database.js';
import { AppError, fieldErrorsFromZod } from '../errors.js';
import { append } from '../log/append.js';
import { resolvePerson } from '../people/resolve-person.js';
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
  /** The phone number it goes to, or null when it goes to the BSUID (`recipient`). */
  waId: string | null;
  bsuid: string | null;
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
 * blocking stops every outbound message, whoever queues it. A template whose category is
 * `marketing` is refused to a person who stopped marketing messages (marketing_opted_out).
 * The message goes to the person's phone number (`to`) when known, else to their BSUID
 * (`recipient`).
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
  assertMarketingAllowed(message, contact);
  if (!isTemplate) assertWindowOpen(message, contact, now);
  if (!contact) contact = await createContact(tx, message, now);

  const { messageId, type, body } = await insertMessage(tx, message, contact);
  const outbox = await tx
    .insertInto('outbox')
    .values({
      message_id: messageId,
      kind: 'message',
      state: 'pending',
      channel: message.channel,
      to_wa_id: contact.wa_id,
      to_bsuid: contact.wa_id ? null : contact.bsuid,
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
        ...(contact.wa_id ? { wa_id: contact.wa_id } : { recipient: contact.bsuid! }),
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
  return {
    messageId,
    outboxId: outbox.id,
    contactId: contact.id,
    waId: contact.wa_id,
    bsuid: contact.bsuid,
    body,
  };
}

interface ContactRow {
  id: string;
  wa_id: string | null;
  bsuid: string | null;
  last_inbound_at: Date | null;
  blocked: boolean;
  erased_at: Date | null;
  marketing_opt_in: 'unknown' | 'opted_in' | 'opted_out';
  merged_into: string | null;
}

const contactColumns = [
  'id',
  'wa_id',
  'bsuid',
  'last_inbound_at',
  'blocked',
  'erased_at',
  'marketing_opt_in',
  'merged_into',
] as const;

/** The person by id (a merged person's id leads to the survivor), phone number or BSUID. */
async function findContact(tx: Tx, message: ValidOutboundMessage): Promise<ContactRow | undefined> {
  let query = tx.selectFrom('contacts').select(contactColumns).where('channel', '=', message.channel);
  if (message.contact_id !== undefined) query = query.where('id', '=', String(message.contact_id));
  else if (message.wa_id !== undefined) query = query.where('wa_id', '=', message.wa_id);
  else query = query.where('bsuid', '=', message.bsuid!);
  let row = await query.executeTakeFirst();
  if (!row && message.contact_id !== undefined) {
    throw new AppError('not_found', `no contact ${message.contact_id} on channel ${message.channel}`, [
      { field: 'contact_id', reason: `no such contact on channel ${message.channel}` },
    ]);
  }
  for (let hops = 0; row?.merged_into && hops < 10; hops++) {
    row = await tx
      .selectFrom('contacts')
      .select(contactColumns)
      .where('id', '=', row.merged_into)
      .executeTakeFirst();
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

/** A person who stopped marketing messages (Meta's user_preferences webhook) gets no marketing template. */
function assertMarketingAllowed(message: ValidOutboundMessage, contact: ContactRow | undefined) {
  if (message.message.type !== 'template' || message.message.category !== 'marketing') return;
  if (contact?.marketing_opt_in !== 'opted_out') return;
  const reason = `contact ${contact.id} stopped marketing messages; send a utility template or wait until they resume`;
  throw new AppError('marketing_opted_out', reason, [{ field: 'message.category', reason }]);
}

function assertWindowOpen(message: ValidOutboundMessage, contact: ContactRow | undefined, now: Date) {
  const who = contact
    ? `contact ${contact.id}`
    : message.wa_id
      ? `wa_id ${message.wa_id}`
      : `bsuid ${message.bsuid}`;
  const last = contact?.last_inbound_at ?? null;
  if (last !== null && now.getTime() - last.getTime() < SERVICE_WINDOW_MS) return;
  const reason =
    last === null
      ? `${who} has never sent a message, so no customer service window is open; send a template`
      : `the customer service window of ${who} closed at ${new Date(last.getTime() + SERVICE_WINDOW_MS).toISOString()} (24 h after their last message); send a template`;
  const field = contact ? 'contact_id' : message.wa_id ? 'wa_id' : 'bsuid';
  throw new AppError('window_closed', reason, [{ field, reason }]);
}

/** A template to someone new: the person is created by core/people, the one way people come to exist. */
async function createContact(tx: Tx, message: ValidOutboundMessage, now: Date): Promise<ContactRow> {
  const { contactId } = await resolvePerson(tx, {
    channel: message.channel,
    source: message.source,
    by: message.source,
    sighting: { phone: message.wa_id ?? null, bsuid: message.bsuid ?? null, seenAt: now },
  });
  return tx
    .selectFrom('contacts')
    .select(contactColumns)
    .where('id', '=', contactId!)
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
  const { type, body } = buildGraphBody({ waId: contact.wa_id, bsuid: contact.bsuid }, message.message, {
    replyTo: message.reply_to,
    callbackData: `parley:${row.id}`,
  });
  return { messageId: row.id, type, body };
}
