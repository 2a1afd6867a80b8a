import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { append } from './append.js';
import { registerConsumer, runConsumerBatch } from './consumer.js';
import { startConsumerRunner } from './consumer-runner.js';
import { consumerStatuses } from './consumer-status.js';
import { defineConsumer, type TypedEvent } from './define-consumer.js';
import { eraseContact } from './erase-contact.js';

const database = await createTestDatabase();
const { db } = database;

function received(waId: string, contactId: string | null, schemaVersion = 1) {
  return {
    type: 'message.received' as const,
    schema_version: schemaVersion,
    source: 'simulator',
    channel: 'simulator',
    contact_id: contactId,
    idempotency_key: `${waId}-${schemaVersion}-${contactId}`,
    payload: {
      message_id: '1',
      external_id: `wamid.${waId}`,
      wa_id: waId,
      message_type: 'text',
      timestamp: '2026-12-04T10:00:00Z',
      text: `hello from ${waId}`,
      raw: {},
    },
  };
}

// First: the later tests leave an unreadable event in this file's log.
describe('erased people', () => {
  it('their scrubbed events are left out, not reported', async () => {
    const got: TypedEvent<'message.received'>[] = [];
    const consumer = defineConsumer({
      name: 'test.erasure',
      types: ['message.received'],
      async handle(_tx, events) {
        got.push(...events);
      },
    });
    const contact = await db
      .insertInto('contacts')
      .values({ channel: 'simulator', wa_id: '27821000009' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await append(db, [received('27821000009', contact.id)]);
    await eraseContact(db, { contactId: contact.id, by: 'test' });
    await append(db, [received('27821000010', null)]);
    await registerConsumer(db, consumer.name);
    while ((await runConsumerBatch(db, consumer)).kind !== 'idle')
      await new Promise((r) => setTimeout(r, 10));
    expect(got.map((e) => e.payload.wa_id)).toEqual(['27821000010']);
  });
});

describe('defineConsumer', () => {
  const seen: string[] = [];
  const typed = defineConsumer({
    name: 'test.typed',
    types: ['message.received', 'simulator.reset'],
    async handle(_tx, events) {
      for (const event of events) {
        // `type` narrows the payload: no casts, no re-parsing.
        switch (event.type) {
          case 'message.received':
            seen.push(`v${event.schema_version} ${event.payload.wa_id}: ${event.payload.text}`);
            break;
          case 'simulator.reset':
            seen.push(`reset ${event.payload.wa_id}`);
            break;
        }
      }
    },
  });

  it('hands over events parsed once and typed by their type, skipping unsubscribed types', async () => {
    await registerConsumer(db, typed.name);
    await append(db, [
      received('27821000001', null),
      {
        type: 'simulator.reset',
        source: 'simulator',
        channel: 'simulator',
        payload: { wa_id: '27821000001' },
      },
      {
        type: 'contact.created',
        source: 'api',
        channel: 'simulator',
        payload: { wa_id: '2782', name: null, channel: 'simulator' },
      },
    ]);
    while ((await runConsumerBatch(db, typed)).kind !== 'idle') await new Promise((r) => setTimeout(r, 10));
    // The first test's events come first (the erased person's message is left out).
    expect(seen).toEqual([
      'v1 27821000010: hello from 27821000010',
      'v1 27821000001: hello from 27821000001',
      'reset 27821000001',
    ]);
  });

  it('reports an event of an unknown schema_version (last_error, /health) instead of skipping it', async () => {
    const before = (
      await db
        .selectFrom('consumer_cursors')
        .select('event_id')
        .where('name', '=', typed.name)
        .executeTakeFirstOrThrow()
    ).event_id;
    const { ids } = await append(db, [received('27821000002', null, 2)]);
    const errors: string[] = [];
    const runner = await startConsumerRunner({
      db,
      databaseUrl: database.url,
      consumers: [typed],
      retryDelayMs: 20,
      onError: (_name, error) => errors.push((error as Error).message),
    });
    while (errors.length === 0) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    const message = `consumer test.typed cannot read event ${ids[0]} (message.received schema_version 2): this schema_version is unknown to this code`;
    expect(errors[0]).toBe(message);
    const status = (await consumerStatuses(db)).find((s) => s.name === typed.name)!;
    expect(status).toMatchObject({ last_error: message, event_id: before, lag_events: 1 });
    expect(seen).toHaveLength(3);
  });
});
