import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { AppError } from '../errors.js';
import type { MessageContent } from './outbound-message.schema.js';
import { queueMarkAsRead } from './queue-mark-as-read.js';
import { queueMessage } from './queue-message.js';

const { db } = await createTestDatabase();
const channel = 'simulator';

async function contact(waId: string, lastInboundAt: Date | null): Promise<string> {
  const row = await db
    .insertInto('contacts')
    .values({ channel, wa_id: waId, last_inbound_at: lastInboundAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function counts() {
  const r = await sql<{ messages: string; outbox: string; events: string; contacts: string }>`
    select (select count(*) from messages) as messages, (select count(*) from outbox) as outbox,
           (select count(*) from events) as events, (select count(*) from contacts) as contacts`.execute(db);
  return r.rows[0]!;
}

const open = await contact('27820000001', new Date());
const envelope = (id: string, type: string) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '27820000001',
  type,
  biz_opaque_callback_data: `parley:${id}`,
});

const cases: [string, MessageContent, string, Record<string, unknown>][] = [
  ['text', { type: 'text', body: 'Hello' }, 'text', { text: { body: 'Hello' } }],
  [
    'text with preview',
    { type: 'text', body: 'https://x.org', preview_url: true },
    'text',
    { text: { preview_url: true, body: 'https://x.org' } },
  ],
  [
    'image by link',
    { type: 'image', link: 'https://x.org/a.png', caption: 'A' },
    'image',
    { image: { link: 'https://x.org/a.png', caption: 'A' } },
  ],
  ['image by id', { type: 'image', id: '1234' }, 'image', { image: { id: '1234' } }],
  ['audio', { type: 'audio', id: '55' }, 'audio', { audio: { id: '55' } }],
  [
    'video',
    { type: 'video', link: 'https://x.org/v.mp4', caption: 'V' },
    'video',
    { video: { link: 'https://x.org/v.mp4', caption: 'V' } },
  ],
  [
    'document',
    { type: 'document', link: 'https://x.org/d.pdf', caption: 'D', filename: 'd.pdf' },
    'document',
    { document: { link: 'https://x.org/d.pdf', caption: 'D', filename: 'd.pdf' } },
  ],
  ['sticker', { type: 'sticker', id: '77' }, 'sticker', { sticker: { id: '77' } }],
  [
    'reply buttons',
    {
      type: 'buttons',
      header: 'Hi',
      body: 'Pick one',
      footer: 'Parley',
      buttons: [
        { id: 'yes', title: 'Yes' },
        { id: 'no', title: 'No' },
      ],
    },
    'interactive',
    {
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Hi' },
        body: { text: 'Pick one' },
        footer: { text: 'Parley' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
            { type: 'reply', reply: { id: 'no', title: 'No' } },
          ],
        },
      },
    },
  ],
  [
    'list',
    {
      type: 'list',
      body: 'Choose',
      button: 'Options',
      sections: [
        { title: 'Food', rows: [{ id: 'f1', title: 'Bread', description: 'Fresh' }] },
        { title: 'Drink', rows: [{ id: 'd1', title: 'Tea' }] },
      ],
    },
    'interactive',
    {
      interactive: {
        type: 'list',
        body: { text: 'Choose' },
        action: {
          button: 'Options',
          sections: [
            { title: 'Food', rows: [{ id: 'f1', title: 'Bread', description: 'Fresh' }] },
            { title: 'Drink', rows: [{ id: 'd1', title: 'Tea' }] },
          ],
        },
      },
    },
  ],
  [
    'template',
    {
      type: 'template',
      name: 'visit_reminder',
      language: 'en_US',
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.org/h.png' } }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Thandi' },
            { type: 'date_time', date_time: { fallback_value: 'May 3' } },
          ],
        },
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: 0,
          parameters: [{ type: 'payload', payload: 'CONFIRM' }],
        },
      ],
    },
    'template',
    {
      template: {
        name: 'visit_reminder',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.org/h.png' } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Thandi' },
              { type: 'date_time', date_time: { fallback_value: 'May 3' } },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'CONFIRM' }],
          },
        ],
      },
    },
  ],
  [
    'reaction',
    { type: 'reaction', message_id: 'wamid.X', emoji: '👍' },
    'reaction',
    { reaction: { message_id: 'wamid.X', emoji: '👍' } },
  ],
  [
    'location',
    { type: 'location', latitude: -33.92, longitude: 18.42, name: 'Clinic', address: '1 Main Rd' },
    'location',
    { location: { latitude: -33.92, longitude: 18.42, name: 'Clinic', address: '1 Main Rd' } },
  ],
  [
    'contacts',
    {
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Nurse Joy', first_name: 'Joy' },
          phones: [{ phone: '+27 21 000', type: 'WORK' }],
        },
      ],
    },
    'contacts',
    {
      contacts: [
        {
          name: { formatted_name: 'Nurse Joy', first_name: 'Joy' },
          phones: [{ phone: '+27 21 000', type: 'WORK' }],
        },
      ],
    },
  ],
];

describe('queueMessage builds the exact Graph API body', () => {
  it.each(cases)('%s', async (_name, content, type, typed) => {
    const queued = await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel,
        contact_id: open,
        message: content,
        attribution: { automation: 'test' },
        source: 'test',
      }),
    );
    const expected = { ...envelope(queued.messageId, type), ...typed };
    expect(queued.body).toStrictEqual(expected);
    expect(JSON.stringify(Object.keys(queued.body))).toBe(
      JSON.stringify(['messaging_product', 'recipient_type', 'to', 'type', type, 'biz_opaque_callback_data']),
    );
    const outbox = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', queued.outboxId)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({
      message_id: queued.messageId,
      kind: 'message',
      channel,
      to_wa_id: '27820000001',
      state: 'pending',
      attempts: 0,
    });
    expect(outbox.body).toStrictEqual(expected);
    const message = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', queued.messageId)
      .executeTakeFirstOrThrow();
    expect(message).toMatchObject({
      direction: 'outbound',
      status: 'queued',
      kind: type,
      contact_id: open,
      external_id: null,
    });
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'message.queued')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ contact_id: open, channel, source: 'test' });
    expect(event.payload).toMatchObject({
      message_id: queued.messageId,
      wa_id: '27820000001',
      message_type: type,
      body: expected,
      attribution: { automation: 'test' },
    });
  });

  it('adds context for a reply and records display text and template name in the event', async () => {
    const reply = await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel,
        wa_id: '27820000001',
        reply_to: 'wamid.IN',
        message: { type: 'text', body: 'Yes' },
      }),
    );
    expect(reply.body.context).toStrictEqual({ message_id: 'wamid.IN' });
    const event = await db
      .selectFrom('events')
      .select(['payload', 'source'])
      .where('type', '=', 'message.queued')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.source).toBe('outbox');
    expect(event.payload).toMatchObject({ text: 'Yes', reply_to: 'wamid.IN' });
  });
});

describe('the 24-hour customer service window', () => {
  it('refuses free-form text to a contact who never wrote, and writes nothing', async () => {
    const id = await contact('27820000002', null);
    const before = await counts();
    const error = await db
      .transaction()
      .execute((tx) => queueMessage(tx, { channel, contact_id: id, message: { type: 'text', body: 'Hi' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('window_closed');
    expect((error as AppError).message).toBe(
      `contact ${id} has never sent a message, so no customer service window is open; send a template`,
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses when the last inbound message is older than 24 h, naming when the window closed', async () => {
    const last = new Date(Date.now() - 25 * 3600_000);
    const id = await contact('27820000003', last);
    const before = await counts();
    const error = (await db
      .transaction()
      .execute((tx) =>
        queueMessage(tx, {
          channel,
          contact_id: id,
          message: { type: 'buttons', body: 'b', buttons: [{ id: 'a', title: 'A' }] },
        }),
      )
      .catch((e: unknown) => e)) as AppError;
    const closedAt = new Date(last.getTime() + 24 * 3600_000).toISOString();
    expect(error.code).toBe('window_closed');
    expect(error.message).toBe(
      `the customer service window of contact ${id} closed at ${closedAt} (24 h after their last message); send a template`,
    );
    expect(error.fields).toEqual([{ field: 'contact_id', reason: error.message }]);
    expect(await counts()).toEqual(before);
  });

  it('refuses free-form to an unknown wa_id without creating the contact', async () => {
    const before = await counts();
    const error = (await db
      .transaction()
      .execute((tx) =>
        queueMessage(tx, { channel, wa_id: '27820000004', message: { type: 'text', body: 'Hi' } }),
      )
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('window_closed');
    expect(error.fields[0]?.field).toBe('wa_id');
    expect(await counts()).toEqual(before);
  });

  it('allows a template to an unknown wa_id, creating the contact with a contact.created event', async () => {
    const queued = await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel,
        wa_id: '27820000005',
        message: { type: 'template', name: 'hello_world', language: 'en_US' },
      }),
    );
    const created = await db
      .selectFrom('contacts')
      .selectAll()
      .where('wa_id', '=', '27820000005')
      .executeTakeFirstOrThrow();
    expect(queued.contactId).toBe(created.id);
    expect(created.last_inbound_at).toBeNull();
    const events = await db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('contact_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['contact.created', 'message.queued']);
    expect(events[0]!.payload).toStrictEqual({ wa_id: '27820000005', name: null, channel });
    expect(events[1]!.payload).toMatchObject({
      template: { name: 'hello_world', language: 'en_US' },
      text: null,
    });
  });

  it('allows a template to a contact whose window closed', async () => {
    const id = await contact('27820000006', new Date(Date.now() - 48 * 3600_000));
    const queued = await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel,
        contact_id: id,
        message: { type: 'template', name: 'hello_world', language: 'en' },
      }),
    );
    expect(queued.body.template).toStrictEqual({ name: 'hello_world', language: { code: 'en' } });
  });
});

describe('blocked and erased people', () => {
  it.each([
    ['blocked', '27820007001', { blocked: true }, 'is blocked; unblock them before sending'],
    [
      'erased',
      '27820007002',
      { erased_at: new Date() },
      'was erased (a data-protection request); nothing can be sent to them',
    ],
  ] as const)(
    'refuses a template or text to a %s contact, writing nothing',
    async (_, waId, state, words) => {
      const id = await contact(waId, new Date());
      await db.updateTable('contacts').set(state).where('id', '=', id).execute();
      const before = await counts();
      for (const message of [
        { type: 'text', body: 'hi' },
        { type: 'template', name: 'welcome', language: 'en' },
      ] as const) {
        const error = (await db
          .transaction()
          .execute((tx) => queueMessage(tx, { channel, contact_id: id, source: 'api', message }))
          .catch((e: unknown) => e)) as AppError;
        expect(error).toBeInstanceOf(AppError);
        expect(error.code).toBe('contact_blocked');
        expect(error.message).toBe(`contact ${id} ${words}`);
        expect(error.fields).toEqual([{ field: 'contact_id', reason: `contact ${id} ${words}` }]);
      }
      expect(await counts()).toEqual(before);
    },
  );
});

describe('invalid input', () => {
  it.each<[string, unknown, string[]]>([
    [
      'four buttons',
      { type: 'buttons', body: 'b', buttons: ['a', 'b', 'c', 'd'].map((x) => ({ id: x, title: x })) },
      ['message.buttons'],
    ],
    [
      'a button title over 20 characters',
      { type: 'buttons', body: 'b', buttons: [{ id: 'a', title: 'x'.repeat(21) }] },
      ['message.buttons.0.title'],
    ],
    [
      'eleven list rows',
      {
        type: 'list',
        body: 'b',
        button: 'Go',
        sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }],
      },
      ['message.sections'],
    ],
    [
      'two untitled sections',
      {
        type: 'list',
        body: 'b',
        button: 'Go',
        sections: [{ rows: [{ id: 'a', title: 'A' }] }, { rows: [{ id: 'b', title: 'B' }] }],
      },
      ['message.sections.0.title', 'message.sections.1.title'],
    ],
    ['media with link and id', { type: 'image', id: '1', link: 'https://x.org/a.png' }, ['message.link']],
    ['empty text', { type: 'text', body: '' }, ['message.body']],
  ])('%s', async (_name, message, fields) => {
    const before = await counts();
    const error = (await db
      .transaction()
      .execute((tx) => queueMessage(tx, { channel, contact_id: open, message } as never))
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('validation_failed');
    expect(error.fields.map((f) => f.field)).toEqual(fields);
    expect(await counts()).toEqual(before);
  });

  it('needs exactly one of contact_id and wa_id', async () => {
    const error = (await db
      .transaction()
      .execute((tx) =>
        queueMessage(tx, {
          channel,
          contact_id: open,
          wa_id: '27820000001',
          message: { type: 'text', body: 'x' },
        }),
      )
      .catch((e: unknown) => e)) as AppError;
    expect(error.fields).toEqual([
      { field: 'contact_id', reason: 'give exactly one of contact_id, wa_id or bsuid' },
    ]);
  });
});

describe('queueMarkAsRead', () => {
  it('queues a read receipt for a known inbound message', async () => {
    await db
      .insertInto('messages')
      .values({
        channel,
        contact_id: open,
        direction: 'inbound',
        kind: 'text',
        external_id: 'wamid.READ1',
        status: 'received',
      })
      .execute();
    const { outboxId } = await db
      .transaction()
      .execute((tx) => queueMarkAsRead(tx, { channel, externalId: 'wamid.READ1' }));
    const row = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', outboxId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'mark_read',
      message_id: null,
      to_wa_id: '27820000001',
      state: 'pending',
    });
    expect(row.body).toStrictEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.READ1',
    });
  });

  it('refuses an unknown message', async () => {
    const error = (await db
      .transaction()
      .execute((tx) => queueMarkAsRead(tx, { channel, externalId: 'wamid.NOPE' }))
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('not_found');
  });
});
