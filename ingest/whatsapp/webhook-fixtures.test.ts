import { afterAll, describe, expect, it } from 'vitest';
import {
  fixture,
  fixtureJson,
  messageCases,
  OUT1,
  T,
  wamid,
} from '../../test/fixtures/whatsapp/expected-messages.js';
import {
  eventsAfter,
  lastEventId,
  postSigned,
  testChannel,
  webhookApp,
} from '../../test/fixtures/whatsapp/webhook-app.js';
import { createTestDatabase } from '../../test/setup/test-database.js';

// Our own payloads, written from Meta's webhook reference (test/fixtures/whatsapp/).

const database = await createTestDatabase();
const { db } = database;
const channel = testChannel();
const statusChannel = testChannel({
  name: 'statuses',
  webhookPath: '/webhooks/statuses',
  appSecret: 's3cret',
});
const app = await webhookApp(database, [channel, statusChannel]);
afterAll(async () => {
  await app.close();
});

describe('our fixtures: one inbound message of each type', () => {
  it.each(messageCases)(
    '%s: contact.created, message.received, a messages row',
    async (file, n, waId, name, type, fields) => {
      const before = await lastEventId(db);
      const response = await postSigned(app, channel, fixture(file));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        messages: 1,
        statuses: 0,
        updates: 0,
        unrecognised: 0,
        duplicates: 0,
      });

      const events = await eventsAfter(db, before);
      expect(events.map((e) => e.type)).toEqual(['contact.created', 'message.received']);
      const [created, received] = events as [(typeof events)[0], (typeof events)[0]];
      const sentAt = new Date((T + n - 1) * 1000);
      // A number change from someone unknown makes a person with the new number.
      const personWaId = type === 'system' ? '27831119999' : waId;
      expect(created).toMatchObject({
        source: 'whatsapp',
        channel: 'whatsapp',
        idempotency_key: `contact:${personWaId}`,
      });
      expect(created.payload).toEqual({ wa_id: personWaId, name, channel: 'whatsapp' });

      const message = await db
        .selectFrom('messages')
        .selectAll()
        .where('external_id', '=', wamid(n))
        .executeTakeFirstOrThrow();
      expect(message).toMatchObject({
        channel: 'whatsapp',
        contact_id: created.contact_id,
        direction: 'inbound',
        kind: type,
        status: 'received',
        status_at: sentAt,
        error_code: null,
        error_title: null,
      });
      expect(received).toMatchObject({
        source: 'whatsapp',
        channel: 'whatsapp',
        contact_id: created.contact_id,
        idempotency_key: `msg:${wamid(n)}`,
        occurred_at: sentAt,
      });
      const { raw, ...payload } = received.payload as Record<string, unknown>;
      expect(payload).toEqual({
        message_id: message.id,
        external_id: wamid(n),
        wa_id: waId,
        profile_name: name,
        message_type: type,
        timestamp: sentAt.toISOString(),
        ...fields,
      });
      expect(raw).toEqual(fixtureJson(file).entry[0].changes[0].value.messages[0]);

      const contact = await db
        .selectFrom('contacts')
        .selectAll()
        .where('wa_id', '=', personWaId)
        .executeTakeFirstOrThrow();
      expect(contact).toMatchObject({ id: created.contact_id, channel: 'whatsapp', name });
      // A system notice is not the person writing: it opens no 24-hour window.
      expect(contact.last_inbound_at).toEqual(type === 'system' ? null : sentAt);
    },
  );

  it('a batch of two changes stores every contact, message and status in order', async () => {
    const before = await lastEventId(db);
    const response = await postSigned(app, channel, fixture('batch'));
    expect(response.json()).toEqual({ messages: 3, statuses: 2, updates: 0, unrecognised: 0, duplicates: 0 });
    const events = await eventsAfter(db, before);
    expect(
      events.map((e) => [
        e.type,
        (e.payload as { wa_id?: string; external_id?: string }).wa_id ??
          (e.payload as { external_id: string }).external_id,
      ]),
    ).toEqual([
      ['contact.created', '27831110030'],
      ['contact.created', '27831110031'],
      ['message.received', '27831110030'],
      ['message.received', '27831110031'],
      ['message.received', '27831110030'],
      ['message.status', 'wamid.HBgLMjc4MzExMTAwMzAVAgARGBJCQVRDSDAwMDAwMDAwMDAwMQA='],
      ['message.status', 'wamid.HBgLMjc4MzExMTAwMzEVAgARGBJCQVRDSDAwMDAwMDAwMDAwMgA='],
    ]);
    expect(events.slice(2, 5).map((e) => (e.payload as { text: string }).text)).toEqual([
      'Hi',
      'Good morning',
      'Are you open today?',
    ]);
    // Statuses of messages this channel never sent: logged, matched to no message, but
    // attributed to the person their recipient is (the two people this batch created).
    expect(
      events.slice(5).map((e) => [e.contact_id, (e.payload as { message_id: unknown }).message_id]),
    ).toEqual([
      [events[0]!.contact_id, null],
      [events[1]!.contact_id, null],
    ]);
    const contacts = await db
      .selectFrom('contacts')
      .select(['wa_id', 'name', 'last_inbound_at'])
      .where('wa_id', 'in', ['27831110030', '27831110031'])
      .orderBy('wa_id')
      .execute();
    expect(contacts).toEqual([
      { wa_id: '27831110030', name: 'Nandi', last_inbound_at: new Date((T + 302) * 1000) },
      { wa_id: '27831110031', name: 'Owen', last_inbound_at: new Date((T + 301) * 1000) },
    ]);
  });

  it("template-status-update: one template.status_changed with Meta's fields, matched to no template of ours", async () => {
    const before = await lastEventId(db);
    const response = await postSigned(app, channel, fixture('template-status-update'));
    expect(response.json()).toEqual({ messages: 0, statuses: 0, updates: 1, unrecognised: 0, duplicates: 0 });
    const events = await eventsAfter(db, before);
    expect(events.map((e) => e.type)).toEqual(['template.status_changed']);
    expect(events[0]).toMatchObject({
      source: 'whatsapp',
      contact_id: null,
      occurred_at: new Date((T + 400) * 1000),
    });
    expect(events[0]!.payload).toEqual({
      template_id: null,
      meta_template_id: '1032486631290412',
      name: 'appointment_reminder',
      language: 'en',
      event: 'APPROVED',
      status: 'APPROVED',
      previous_status: null,
      reason: null,
      category: 'UTILITY',
      detail: null,
      waba_id: '102290129340398',
    });
  });

  it.each([['phone-number-quality-update', 'phone_number_quality_update', T + 500]])(
    '%s: one channel.update with the value as sent',
    async (file, field, time) => {
      const before = await lastEventId(db);
      const response = await postSigned(app, channel, fixture(file));
      expect(response.json()).toEqual({
        messages: 0,
        statuses: 0,
        updates: 1,
        unrecognised: 0,
        duplicates: 0,
      });
      const events = await eventsAfter(db, before);
      expect(events.map((e) => e.type)).toEqual(['channel.update']);
      expect(events[0]).toMatchObject({
        source: 'whatsapp',
        channel: 'whatsapp',
        contact_id: null,
        occurred_at: new Date(time * 1000),
      });
      expect(events[0]!.payload).toEqual({
        field,
        value: fixtureJson(file).entry[0].changes[0].value,
        entry_id: '102290129340398',
      });
    },
  );
});

describe('our fixtures: statuses of a message we sent', () => {
  it('sent, delivered, read: each logged with its pricing, the message moves forward', async () => {
    const contact = await db
      .insertInto('contacts')
      .values({ channel: 'statuses', wa_id: '27831110001', name: 'Thandi' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sent = await db
      .insertInto('messages')
      .values({
        channel: 'statuses',
        contact_id: contact.id,
        direction: 'outbound',
        kind: 'template',
        external_id: OUT1,
        status: 'queued',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const conversation = { id: 'b1e2f3a4c5d6e7f8091a2b3c4d5e6f70', origin_type: 'utility' };
    const pricing = { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' };
    const steps = [
      [
        'status-sent',
        'sent',
        T + 100,
        {
          conversation: {
            ...conversation,
            expiration_timestamp: new Date((T + 100 + 86400) * 1000).toISOString(),
          },
          pricing,
          biz_opaque_callback_data: 'campaign-7',
        },
      ],
      ['status-delivered', 'delivered', T + 105, { conversation, pricing }],
      ['status-read', 'read', T + 160, { conversation, pricing }],
    ] as const;
    for (const [file, status, time, fields] of steps) {
      const before = await lastEventId(db);
      const response = await postSigned(app, statusChannel, fixture(file));
      expect(response.json()).toEqual({
        messages: 0,
        statuses: 1,
        updates: 0,
        unrecognised: 0,
        duplicates: 0,
      });
      const events = await eventsAfter(db, before);
      expect(events.map((e) => e.type)).toEqual(['message.status']);
      expect(events[0]).toMatchObject({
        source: 'statuses',
        channel: 'statuses',
        contact_id: contact.id,
        idempotency_key: `status:${OUT1}:${status}`,
        occurred_at: new Date(time * 1000),
      });
      const { raw, ...payload } = events[0]!.payload as Record<string, unknown>;
      expect(payload).toEqual({
        message_id: sent.id,
        external_id: OUT1,
        status,
        timestamp: new Date(time * 1000).toISOString(),
        recipient_id: '27831110001',
        ...fields,
      });
      expect(raw).toEqual(fixtureJson(file).entry[0].changes[0].value.statuses[0]);
      const row = await db
        .selectFrom('messages')
        .select(['status', 'status_at'])
        .where('id', '=', sent.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status, status_at: new Date(time * 1000) });
    }
  });

  it('failed: the errors are logged; a status of a message we do not know matches nothing', async () => {
    const before = await lastEventId(db);
    const response = await postSigned(app, statusChannel, fixture('status-failed'));
    expect(response.json()).toEqual({ messages: 0, statuses: 1, updates: 0, unrecognised: 0, duplicates: 0 });
    const [event, ...rest] = await eventsAfter(db, before);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'message.status', contact_id: null });
    const { raw: _, ...payload } = event!.payload as Record<string, unknown>;
    expect(payload).toEqual({
      message_id: null,
      external_id: 'wamid.HBgLMjc4MzExMTAwMjQVAgARGBI4RkFJTEVEMDAwMDAwMDAwMDAA',
      status: 'failed',
      timestamp: new Date((T + 200) * 1000).toISOString(),
      recipient_id: '27831110024',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
      ],
    });
  });
});
