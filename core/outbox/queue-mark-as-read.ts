import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import { AppError } from '../errors.js';

/**
 * Queues a read receipt for an inbound message (blue ticks on the person's phone):
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
 * The sender appends `message.marked_read` once Meta accepts it. The inbound message must be
 * known, so that the receipt goes to the right person.
 */
export async function queueMarkAsRead(
  tx: Tx,
  input: { channel: string; externalId: string },
): Promise<{ outboxId: string }> {
  const inbound = await tx
    .selectFrom('messages')
    .innerJoin('contacts', 'contacts.id', 'messages.contact_id')
    .select(['contacts.wa_id'])
    .where('messages.channel', '=', input.channel)
    .where('messages.external_id', '=', input.externalId)
    .where('messages.direction', '=', 'inbound')
    .executeTakeFirst();
  if (!inbound) {
    throw new AppError('not_found', `no inbound message ${input.externalId} on channel ${input.channel}`, [
      { field: 'externalId', reason: 'no such inbound message' },
    ]);
  }
  const body = { messaging_product: 'whatsapp', status: 'read', message_id: input.externalId };
  const row = await tx
    .insertInto('outbox')
    .values({
      kind: 'mark_read',
      state: 'pending',
      channel: input.channel,
      to_wa_id: inbound.wa_id,
      body: JSON.stringify(body),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // No event is appended here, so wake the sender the way an append would (on commit).
  await sql`select pg_notify('parley_events', '')`.execute(tx);
  return { outboxId: row.id };
}
