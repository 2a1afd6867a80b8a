import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { updatePerson } from './update-person.js';

const { db } = await createTestDatabase();

async function queueTo(contactId: string, body: string): Promise<string> {
  const queued = await db
    .transaction()
    .execute((tx) =>
      queueMessage(tx, { channel: 'whatsapp', contact_id: contactId, message: { type: 'text', body } }),
    );
  return queued.messageId;
}

describe('updatePerson: blocking', () => {
  it('fails the messages still queued or waiting to retry, with the reason, logged', async () => {
    const [person, other] = await db
      .insertInto('contacts')
      .values([
        { channel: 'whatsapp', wa_id: '27820000401', last_inbound_at: new Date() },
        { channel: 'whatsapp', wa_id: '27820000402', last_inbound_at: new Date() },
      ])
      .returning('id')
      .execute();
    const queued = await queueTo(person!.id, 'first');
    const retrying = await queueTo(person!.id, 'second');
    const untouched = await queueTo(other!.id, 'for someone else');
    // As the sender leaves a row after a retryable error (sender-outbox.ts settleRetry).
    await sql`update outbox set attempts = 1, last_error = 'HTTP 429 code 130429: throughput',
      next_attempt_at = now() + interval '1 hour' where message_id = ${retrying}`.execute(db);

    await updatePerson(db, { id: person!.id, by: 'user:1', patch: { blocked: true } });

    const outbox = await db
      .selectFrom('outbox')
      .select(['message_id', 'state', 'last_error'])
      .orderBy('message_id')
      .execute();
    expect(outbox).toEqual([
      { message_id: queued, state: 'failed', last_error: 'contact blocked' },
      { message_id: retrying, state: 'failed', last_error: 'contact blocked' },
      { message_id: untouched, state: 'pending', last_error: null },
    ]);
    const messages = await db
      .selectFrom('messages')
      .select(['id', 'status', 'error_title'])
      .where('contact_id', '=', person!.id)
      .orderBy('id')
      .execute();
    expect(messages).toEqual([
      { id: queued, status: 'failed', error_title: 'contact blocked' },
      { id: retrying, status: 'failed', error_title: 'contact blocked' },
    ]);
    const events = await db
      .selectFrom('events')
      .select(['type', 'contact_id', 'idempotency_key', 'payload'])
      .where('type', '=', 'message.status')
      .orderBy('id')
      .execute();
    expect(events).toEqual(
      [queued, retrying].map((id) => ({
        type: 'message.status',
        contact_id: person!.id,
        idempotency_key: `send-failed:${id}`,
        payload: {
          message_id: id,
          external_id: null,
          status: 'failed',
          timestamp: expect.any(String),
          errors: [{ code: 0, title: 'contact blocked' }],
        },
      })),
    );
  });
});
