import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';

/** A contact as the REST API's /v1/contacts shows it (the integrators' shape). */
export interface ContactRow {
  id: string;
  channel: string;
  wa_id: string;
  name: string | null;
  created_at: Date;
  updated_at: Date;
  last_inbound_at: Date | null;
}

const columns = ['id', 'channel', 'wa_id', 'name', 'created_at', 'updated_at', 'last_inbound_at'] as const;

export async function getContact(db: DbOrTx, id: string): Promise<ContactRow> {
  const row = await db.selectFrom('contacts').select(columns).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no contact ${id}`, [{ field: 'id', reason: 'no such contact' }]);
  return row;
}

export async function listContacts(
  db: DbOrTx,
  options: { channel?: string; waId?: string; afterId?: string; limit?: number } = {},
): Promise<ContactRow[]> {
  let query = db
    .selectFrom('contacts')
    .select(columns)
    .orderBy('id')
    .limit(options.limit ?? 50);
  if (options.channel) query = query.where('channel', '=', options.channel);
  if (options.waId) query = query.where('wa_id', '=', options.waId);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.execute();
}

export async function createContact(
  db: DbOrTx,
  input: { channel: string; wa_id: string; name?: string | null },
  channels: readonly string[],
): Promise<ContactRow> {
  if (!channels.includes(input.channel)) {
    throw new AppError('validation_failed', `unknown channel ${input.channel}`, [
      { field: 'channel', reason: `must be one of ${channels.join(', ') || '(no channel is running)'}` },
    ]);
  }
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('contacts')
      .values({ channel: input.channel, wa_id: input.wa_id, name: input.name ?? null })
      .onConflict((oc) => oc.columns(['channel', 'wa_id']).doNothing())
      .returning(columns)
      .executeTakeFirst();
    if (!row) {
      throw new AppError('conflict', `a contact with this wa_id exists on ${input.channel}`, [
        { field: 'wa_id', reason: 'already a contact on this channel' },
      ]);
    }
    await append(tx, [
      {
        type: 'contact.created',
        source: 'api',
        channel: row.channel,
        contact_id: row.id,
        payload: { wa_id: row.wa_id, name: row.name, channel: row.channel },
      },
    ]);
    return row;
  });
}

/** Changes a contact's name (REST PATCH); contact.updated records it with `by`. */
export async function updateContact(
  db: DbOrTx,
  by: string,
  id: string,
  patch: { name?: string | null },
): Promise<ContactRow> {
  return inTransaction(db, async (tx) => {
    const before = await tx
      .selectFrom('contacts')
      .select(columns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before)
      throw new AppError('not_found', `no contact ${id}`, [{ field: 'id', reason: 'no such contact' }]);
    if (patch.name === undefined || patch.name === before.name) return before;
    const row = await tx
      .updateTable('contacts')
      .set({ name: patch.name, updated_at: new Date() })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    await append(tx, [
      {
        type: 'contact.updated',
        source: 'api',
        channel: row.channel,
        contact_id: row.id,
        payload: { changes: { name: { from: before.name, to: row.name } }, by },
      },
    ]);
    return row;
  });
}
