import { describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { personTimeline } from './person-timeline.js';

// One row per message with its latest status in plain words, whatever the channel: the
// queued, sent and status events of an outbound message are not rows of their own.

const { db } = await createTestDatabase();
const contact = await db
  .insertInto('contacts')
  .values({ channel: 'simulator', wa_id: '15550001234', name: 'Test' })
  .returning('id')
  .executeTakeFirstOrThrow();
const id = contact.id;

const received = (
  messageId: string,
  externalId: string,
  messageType: string,
  extra: Record<string, unknown>,
) => ({
  type: 'message.received' as const,
  source: 'simulator',
  channel: 'simulator',
  contact_id: id,
  payload: {
    message_id: messageId,
    external_id: externalId,
    wa_id: '15550001234',
    timestamp: '2026-01-01T10:00:00Z',
    message_type: messageType,
    raw: {},
    ...extra,
  },
});
const queued = (messageId: string, text: string) => ({
  type: 'message.queued' as const,
  source: 'engine',
  channel: 'simulator',
  contact_id: id,
  payload: { message_id: messageId, wa_id: '15550001234', message_type: 'text' as const, body: {}, text },
});
const status = (messageId: string, value: string, extra: Record<string, unknown> = {}) => ({
  type: 'message.status' as const,
  source: 'simulator',
  channel: 'simulator',
  contact_id: id,
  payload: {
    message_id: messageId,
    external_id: `wamid.out.${messageId}`,
    status: value,
    timestamp: '2026-01-01T10:00:05Z',
    ...extra,
  },
});
const sent = (messageId: string) => ({
  type: 'message.sent' as const,
  source: 'engine',
  channel: 'simulator',
  contact_id: id,
  payload: { message_id: messageId, external_id: `wamid.out.${messageId}`, attempts: 1 },
});

await append(db, [
  received('1', 'wamid.in.1', 'text', { text: 'Hello' }),
  {
    type: 'message.marked_read',
    source: 'engine',
    channel: 'simulator',
    contact_id: id,
    payload: { external_id: 'wamid.in.1' },
  },
  queued('2', 'Got it: Hello'),
  sent('2'),
  status('2', 'sent'),
  status('2', 'read'),
  // A late `delivered` after `read` must not move the message back.
  status('2', 'delivered'),
  received('3', 'wamid.in.3', 'interactive', {
    interactive: { type: 'button_reply', id: 'menu', title: 'Menu' },
  }),
  queued('4', 'What would you like to try?'),
  sent('4'),
  received('5', 'wamid.in.5', 'interactive', {
    interactive: { type: 'list_reply', id: 'about', title: 'About Parley' },
  }),
  queued('6', 'Sorry'),
  status('6', 'failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
  queued('7', 'Waiting'),
]);

describe('personTimeline', () => {
  it('shows one row per message, newest first, with its latest status in plain words', async () => {
    const page = await personTimeline(db, { id });
    expect(page.items.map((i) => [i.type, i.title, i.detail, i.direction, i.status])).toEqual([
      ['message.queued', 'We sent a message', 'Waiting', 'outbound', 'Queued'],
      ['message.queued', 'We sent a message', 'Sorry', 'outbound', 'Failed: 131026 Message undeliverable'],
      ['message.received', 'Chose from a list', 'About Parley', 'inbound', null],
      ['message.queued', 'We sent a message', 'What would you like to try?', 'outbound', 'Sent'],
      ['message.received', 'Sent a button reply', 'Menu', 'inbound', null],
      ['message.queued', 'We sent a message', 'Got it: Hello', 'outbound', 'Read'],
      ['message.received', 'Sent a message', 'Hello', 'inbound', 'Read by us'],
    ]);
    expect(page.nextBeforeEventId).toBeNull();
  });

  it('pages by rows, and a message on an older page still gets its newer status', async () => {
    const first = await personTimeline(db, { id, limit: 6 });
    expect(first.items.length).toBe(6);
    const second = await personTimeline(db, { id, limit: 6, beforeEventId: first.nextBeforeEventId! });
    expect(second.items.map((i) => [i.title, i.status])).toEqual([['Sent a message', 'Read by us']]);
    expect(second.nextBeforeEventId).toBeNull();
  });
});
