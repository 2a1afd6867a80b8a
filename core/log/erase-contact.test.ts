import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { AppError } from '../errors.js';
import { queueMessage } from '../outbox/queue-message.js';
import { append } from './append.js';
import { eraseContact } from './erase-contact.js';

const { db } = await createTestDatabase();

const phone = '254733000111';
const name = 'Wanjiru Kamau';

/** A person with a profile, an inbound text, a sent and a pending outbound message, and a read receipt. */
async function person(waId = phone, who = name, secret = 'I am pregnant') {
  return db.transaction().execute(async (tx) => {
    const contact = await tx
      .insertInto('contacts')
      .values({
        channel: 'whatsapp',
        wa_id: waId,
        name: who,
        language: 'sw',
        timezone: 'Africa/Nairobi',
        labels: ['mother'],
        fields: JSON.stringify({ district: 'Kisumu' }),
        last_inbound_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = contact.id;
    await append(tx, [
      {
        type: 'contact.created',
        source: 'test',
        channel: 'whatsapp',
        contact_id: id,
        payload: { wa_id: waId, name: who, channel: 'whatsapp' },
      },
      {
        type: 'contact.updated',
        source: 'test',
        channel: 'whatsapp',
        contact_id: id,
        payload: {
          changes: { district: { from: null, to: 'Kisumu' }, opt_in: { from: 'unknown', to: 'opted_in' } },
          by: 'user:1',
        },
      },
      {
        type: 'message.received',
        source: 'test',
        channel: 'whatsapp',
        contact_id: id,
        payload: {
          message_id: '1',
          external_id: `wamid.from-${who.length}-${secret.length}`,
          wa_id: waId,
          profile_name: who,
          message_type: 'text',
          timestamp: new Date().toISOString(),
          text: secret,
          raw: { from: waId, text: { body: secret } },
        },
      },
    ]);
    const sent = await queueMessage(tx, {
      channel: 'whatsapp',
      contact_id: id,
      message: { type: 'text', body: `Hello ${who}` },
    });
    await tx.updateTable('outbox').set({ state: 'sent' }).where('id', '=', sent.outboxId).execute();
    const pending = await queueMessage(tx, {
      channel: 'whatsapp',
      contact_id: id,
      message: { type: 'text', body: 'See you soon' },
    });
    await tx
      .insertInto('outbox')
      .values({
        kind: 'mark_read',
        state: 'pending',
        channel: 'whatsapp',
        to_wa_id: waId,
        body: JSON.stringify({ to: waId }),
      })
      .execute();
    return { id, pending: pending.messageId };
  });
}

/** Every column of every row of every table in the public schema, as text, that mentions `needle`. */
async function tablesMentioning(needle: string): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    const hits = await sql<{ n: string }>`
      select count(*) as n from ${sql.table(table_name)} t where t::text like ${`%${needle}%`}`.execute(db);
    if (Number(hits.rows[0]!.n) > 0) found.push(table_name);
  }
  return found;
}

describe('eraseContact', () => {
  it('blanks state, scrubs the log, fails pending sends and appends contact.erased, in one transaction', async () => {
    const { id, pending } = await person();
    const other = await person('254733000222', 'Akinyi Otieno', 'other news');
    expect(await tablesMentioning(phone)).toEqual(['contacts', 'events', 'outbox']);

    const result = await eraseContact(db, { contactId: id, by: 'user:1', reason: 'ticket 42' });
    expect(result).toMatchObject({
      status: 'erased',
      contactId: id,
      scrubbedEvents: 5,
      cancelledMessages: 1,
    });

    for (const needle of [phone, name, 'pregnant', 'Hello Wanjiru']) {
      expect(await tablesMentioning(needle), needle).toEqual([]);
    }
    // Both people share these profile values; only the other person's remain.
    expect(await tablesMentioning('Kisumu')).toEqual(['contacts', 'events']);
    expect(await tablesMentioning('mother')).toEqual(['contacts']);
    const remaining = await db
      .selectFrom('contacts')
      .select('id')
      .where(sql<boolean>`fields @> '{"district":"Kisumu"}'`)
      .execute();
    expect(remaining).toEqual([{ id: other.id }]);
    // The other person's data is untouched.
    const others = await db
      .selectFrom('events')
      .select('payload')
      .where('contact_id', '=', other.id)
      .execute();
    expect(JSON.stringify(others)).toContain('254733000222');
    expect(JSON.stringify(others)).toContain('Akinyi Otieno');

    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      wa_id: `erased:${id}`,
      name: null,
      language: null,
      timezone: null,
      labels: [],
      fields: {},
      opt_in: 'unknown',
      erased_at: result.erasedAt,
    });
    const events = await db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('contact_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ['contact.created', { channel: 'whatsapp' }],
      [
        'contact.updated',
        { changes: { district: {}, opt_in: { from: 'unknown', to: 'opted_in' } }, by: 'user:1' },
      ],
      ['message.received', expect.objectContaining({ message_id: '1', message_type: 'text' })],
      [
        'message.queued',
        expect.objectContaining({
          message_type: 'text',
          body: { messaging_product: 'whatsapp', type: 'text' },
        }),
      ],
      ['message.queued', expect.objectContaining({ message_id: pending })],
      ['contact.erased', { by: 'user:1', reason: 'ticket 42' }],
      ['message.status', expect.objectContaining({ message_id: pending, status: 'failed' })],
    ]);
    const message = await db
      .selectFrom('messages')
      .select(['status', 'error_title'])
      .where('id', '=', pending)
      .executeTakeFirstOrThrow();
    expect(message).toEqual({ status: 'failed', error_title: 'contact erased' });
    const outbox = await db
      .selectFrom('outbox')
      .select(['kind', 'state', 'to_wa_id', 'body'])
      .where('to_wa_id', '=', `erased:${id}`)
      .orderBy('id')
      .execute();
    expect(outbox.map((o) => [o.kind, o.state, o.body])).toEqual([
      ['message', 'sent', {}],
      ['message', 'failed', {}],
      ['mark_read', 'failed', {}],
    ]);
  });

  it('erasing twice changes nothing and says so', async () => {
    const { id } = await person('254733000333');
    const first = await eraseContact(db, { contactId: id, by: 'user:1' });
    const count = async () =>
      (await db.selectFrom('events').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const second = await eraseContact(db, { contactId: id, by: 'user:2' });
    expect(second).toEqual({
      status: 'already_erased',
      contactId: id,
      erasedAt: first.erasedAt,
      scrubbedEvents: 0,
      cancelledMessages: 0,
    });
    expect(await count()).toBe(before);
  });

  it('refuses an unknown person and a malformed id', async () => {
    const error = await eraseContact(db, { contactId: '999999', by: 'user:1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).toJSON()).toEqual({
      code: 'not_found',
      message: 'no contact 999999',
      fields: [{ field: 'id', reason: 'no such contact' }],
    });
    await expect(eraseContact(db, { contactId: 'x', by: 'user:1' })).rejects.toThrow(
      'contact id must be a decimal id',
    );
  });

  it('the log stays append-only outside an erasure, and an erasure may change only payloads of its own person', async () => {
    const { id } = await person('254733000444');
    const other = await person('254733000555');
    const attempt = (statement: ReturnType<typeof sql>, erasing?: string) =>
      db
        .transaction()
        .execute(async (tx) => {
          if (erasing) await sql`select set_config('parley.erasing', ${erasing}, true)`.execute(tx);
          await statement.execute(tx);
        })
        .then(
          () => 'allowed',
          (error: Error) => error.message,
        );
    const refusedUpdate = 'events is append-only: UPDATE is not allowed';
    expect(await attempt(sql`update events set payload = '{}' where contact_id = ${id}`)).toBe(refusedUpdate);
    expect(await attempt(sql`update events set payload = '{}' where contact_id = ${other.id}`, id)).toBe(
      refusedUpdate,
    );
    expect(await attempt(sql`update events set type = 'x' where contact_id = ${id}`, id)).toBe(refusedUpdate);
    expect(await attempt(sql`update events set occurred_at = now() where contact_id = ${id}`, id)).toBe(
      refusedUpdate,
    );
    expect(await attempt(sql`delete from events where contact_id = ${id}`, id)).toBe(
      'events is append-only: DELETE is not allowed',
    );
    expect(await attempt(sql`truncate events`, id)).toBe('events is append-only: TRUNCATE is not allowed');
    expect(
      await attempt(sql`update events set payload = '{"erased": true}' where contact_id = ${id}`, id),
    ).toBe('allowed');
  });
});
