import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import type { Consumer } from '../../core/log/consumer.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { runUntilIdle } from '../../test/setup/run-until-idle.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { defaultReplyAutomation, defaultReplyConsumer } from '../automations/index.js';
import { claimConversation, receivedEventsRoutedTo, releaseConversation, routingConsumer } from './index.js';

const { db } = await createTestDatabase();

let n = 0;
async function receive(text: string) {
  n += 1;
  const waId = String(27_870_000_000 + n);
  const contact = await db
    .insertInto('contacts')
    .values({ channel: 'simulator', wa_id: waId, last_inbound_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { contactId: contact.id, ...(await receiveFrom(contact.id, waId, text)) };
}

async function receiveFrom(contactId: string, waId: string, text: string) {
  n += 1;
  return db.transaction().execute(async (tx) => {
    const message = await tx
      .insertInto('messages')
      .values({
        channel: 'simulator',
        contact_id: contactId,
        direction: 'inbound',
        kind: 'text',
        external_id: `wamid.route${n}`,
        status: 'received',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await append(tx, [
      {
        type: 'message.received',
        source: 'simulator',
        channel: 'simulator',
        contact_id: contactId,
        payload: {
          message_id: message.id,
          external_id: `wamid.route${n}`,
          wa_id: waId,
          message_type: 'text',
          timestamp: new Date().toISOString(),
          text,
          raw: {},
        },
      },
    ]);
    return { waId };
  });
}

/**
 * Stands in for the journey engine, which is not built yet: it answers, as an owner must, only
 * the messages routed to a journey run, through the same outbox as every other answer.
 */
const journeyRunOwner: Consumer = {
  name: 'test.journey-run-owner',
  types: ['message.routed'],
  async handle(tx, events) {
    for (const message of await receivedEventsRoutedTo(tx, events, { kind: 'journey_run' })) {
      await queueMessage(tx, {
        channel: 'simulator',
        contact_id: message.contactId!,
        message: { type: 'text', body: `Journey heard: ${message.received.text}` },
        attribution: { journey_id: '1' },
        source: 'engine',
      });
    }
  },
};

const options = { defaultReply: undefined };
async function processEverything() {
  await runUntilIdle(db, routingConsumer({ automations: [defaultReplyAutomation(options)] }));
  await runUntilIdle(db, defaultReplyConsumer(options));
  await runUntilIdle(db, journeyRunOwner);
}

async function answers(contactId: string) {
  const rows = await sql<{ text: string; attribution: Record<string, string> }>`
    select payload->>'text' as text, payload->'attribution' as attribution
    from events where type = 'message.queued' and contact_id = ${contactId} order by id`.execute(db);
  return rows.rows;
}

async function routes(contactId: string) {
  const rows = await sql<{ owner_kind: string; owner_id: string | null }>`
    select payload->>'owner_kind' as owner_kind, payload->>'owner_id' as owner_id
    from events where type = 'message.routed' and contact_id = ${contactId} order by id`.execute(db);
  return rows.rows;
}

describe('routing', () => {
  it('gives a person in an active journey run exactly one answer, from the run', async () => {
    const person = await receive('before the run');
    await db
      .transaction()
      .execute((tx) =>
        claimConversation(tx, { contactId: person.contactId, kind: 'journey_run', ownerId: 'run-1' }),
      );
    await receiveFrom(person.contactId, person.waId, 'yes please');
    await processEverything();
    await processEverything();
    expect(await routes(person.contactId)).toEqual([
      { owner_kind: 'journey_run', owner_id: 'run-1' },
      { owner_kind: 'journey_run', owner_id: 'run-1' },
    ]);
    expect(await answers(person.contactId)).toEqual([
      { text: 'Journey heard: before the run', attribution: { journey_id: '1' } },
      { text: 'Journey heard: yes please', attribution: { journey_id: '1' } },
    ]);
  });

  it('leaves a person in an operator chat to the operator: no automatic answer', async () => {
    const person = await receive('hello');
    await db
      .transaction()
      .execute((tx) =>
        claimConversation(tx, { contactId: person.contactId, kind: 'operator_chat', ownerId: 'user-5' }),
      );
    await processEverything();
    expect(await routes(person.contactId)).toEqual([{ owner_kind: 'operator_chat', owner_id: 'user-5' }]);
    expect(await answers(person.contactId)).toEqual([]);
  });

  it('hands the conversation back to the automation once the chat is closed', async () => {
    const person = await receive('first');
    await db
      .transaction()
      .execute((tx) =>
        claimConversation(tx, { contactId: person.contactId, kind: 'operator_chat', ownerId: 'user-6' }),
      );
    await processEverything();
    const released = await db
      .transaction()
      .execute((tx) =>
        releaseConversation(tx, { contactId: person.contactId, kind: 'operator_chat', ownerId: 'user-6' }),
      );
    expect(released).toBe(true);
    await receiveFrom(person.contactId, person.waId, 'second');
    await processEverything();
    expect(await routes(person.contactId)).toEqual([
      { owner_kind: 'operator_chat', owner_id: 'user-6' },
      { owner_kind: 'automation', owner_id: 'default-reply' },
    ]);
    expect((await answers(person.contactId)).map((a) => a.text)).toEqual(['Got it: second']);
  });

  it('refuses a second owner for a live claim and logs each claim and release', async () => {
    const person = await receive('hi');
    await db
      .transaction()
      .execute((tx) =>
        claimConversation(tx, { contactId: person.contactId, kind: 'operator_chat', ownerId: 'user-1' }),
      );
    await expect(
      db
        .transaction()
        .execute((tx) =>
          claimConversation(tx, { contactId: person.contactId, kind: 'operator_chat', ownerId: 'user-2' }),
        ),
    ).rejects.toThrow('the conversation is already held by operator_chat user-1');
    const logged = await sql<{ type: string; owner_id: string }>`
      select type, payload->>'owner_id' as owner_id from events
      where contact_id = ${person.contactId} and type like 'conversation.%' order by id`.execute(db);
    expect(logged.rows).toEqual([{ type: 'conversation.claimed', owner_id: 'user-1' }]);
  });
});
