import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import { resolvePerson } from '../../core/people/resolve-person.js';

/** A contact as the REST API's /v1/contacts shows it (the integrators' shape). */
export interface ContactRow {
  id: string;
  channel: string;
  /** Phone number; null for a person Meta shares no number of (they took a username). */
  wa_id: string | null;
  bsuid: string | null;
  parent_bsuid: string | null;
  username: string | null;
  name: string | null;
  marketing_opt_in: 'unknown' | 'opted_in' | 'opted_out';
  created_at: Date;
  updated_at: Date;
  last_inbound_at: Date | null;
}

const columns = [
  'id',
  'channel',
  'wa_id',
  'bsuid',
  'parent_bsuid',
  'username',
  'name',
  'marketing_opt_in',
  'created_at',
  'updated_at',
  'last_inbound_at',
] as const;

export async function getContact(db: DbOrTx, id: string): Promise<ContactRow> {
  const row = await db.selectFrom('contacts').select(columns).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no contact ${id}`, [{ field: 'id', reason: 'no such contact' }]);
  return row;
}

export async function listContacts(
  db: DbOrTx,
  options: { channel?: string; waId?: string; bsuid?: string; afterId?: string; limit?: number } = {},
): Promise<ContactRow[]> {
  // A person merged into another is listed as the survivor only.
  let query = db
    .selectFrom('contacts')
    .select(columns)
    .where('merged_into', 'is', null)
    .orderBy('id')
    .limit(options.limit ?? 50);
  if (options.channel) query = query.where('channel', '=', options.channel);
  if (options.waId) query = query.where('wa_id', '=', options.waId);
  if (options.bsuid) query = query.where('bsuid', '=', options.bsuid);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.execute();
}

/** Creates a person identified by phone number and/or BSUID; `conflict` when one of them is taken. */
export async function createContact(
  db: DbOrTx,
  input: { channel: string; wa_id?: string | null; bsuid?: string | null; name?: string | null },
  channels: readonly string[],
): Promise<ContactRow> {
  if (!channels.includes(input.channel)) {
    throw new AppError('validation_failed', `unknown channel ${input.channel}`, [
      { field: 'channel', reason: `must be one of ${channels.join(', ') || '(no channel is running)'}` },
    ]);
  }
  if (!input.wa_id && !input.bsuid) {
    throw new AppError('validation_failed', 'give wa_id or bsuid', [
      { field: 'wa_id', reason: 'a person needs a phone number (wa_id) or a BSUID' },
    ]);
  }
  return inTransaction(db, async (tx) => {
    const taken = await tx
      .selectFrom('contacts')
      .select(['wa_id', 'bsuid'])
      .where('channel', '=', input.channel)
      .where((eb) => eb.or([eb('wa_id', '=', input.wa_id ?? null), eb('bsuid', '=', input.bsuid ?? null)]))
      .executeTakeFirst();
    const { contactId, created } = taken
      ? { contactId: null, created: false }
      : await resolvePerson(tx, {
          channel: input.channel,
          source: 'api',
          by: 'api',
          sighting: { phone: input.wa_id, bsuid: input.bsuid, name: input.name ?? null, seenAt: new Date() },
        });
    if (!created || !contactId) {
      const field = taken?.wa_id && taken.wa_id === input.wa_id ? 'wa_id' : input.bsuid ? 'bsuid' : 'wa_id';
      throw new AppError('conflict', `a contact with this ${field} exists on ${input.channel}`, [
        { field, reason: 'already a contact on this channel' },
      ]);
    }
    return tx.selectFrom('contacts').select(columns).where('id', '=', contactId).executeTakeFirstOrThrow();
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
