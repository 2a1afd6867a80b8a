import { afterAll, describe, expect, it } from 'vitest';
import {
  eventsAfter,
  lastEventId,
  postSigned,
  rowCounts,
  sign,
  testChannel,
  webhookApp,
} from '../../test/fixtures/whatsapp/webhook-app.js';
import { envelope, textWebhook } from '../../test/fixtures/whatsapp/webhook-bodies.js';
import { createTestDatabase } from '../../test/setup/test-database.js';

const database = await createTestDatabase();
const { db } = database;
const channel = testChannel();
const simulator = testChannel({
  name: 'simulator',
  kind: 'simulator',
  webhookPath: '/webhooks/simulator',
  appSecret: 'simulator-secret',
  verifyToken: 'simulator-token',
});
const app = await webhookApp(database, [channel, simulator]);
afterAll(async () => {
  await app.close();
});

const T = 1732521600;
let sequence = 0;
const nextWamid = () => `wamid.route-test-${++sequence}`;

const nothing = { events: 0, messages: 0, contacts: 0 };

describe('refused webhooks store nothing', () => {
  const body = textWebhook({ id: 'wamid.refused', waId: '27830000001', name: 'Refused', time: T });

  it('a forged signature gets 401 with the JSON error shape', async () => {
    const response = await postSigned(app, channel, body, {
      'x-hub-signature-256': sign(body, 'not-the-secret'),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: {
        code: 'unauthorized',
        message: 'webhook signature is not valid',
        fields: [{ field: 'x-hub-signature-256', reason: 'does not match the body' }],
      },
    });
    expect(await rowCounts(db)).toEqual(nothing);
  });

  it('a signature over other bytes gets 401', async () => {
    const response = await postSigned(app, channel, body.replace('Refused', 'Forged'), {
      'x-hub-signature-256': sign(body, channel.appSecret),
    });
    expect(response.statusCode).toBe(401);
    expect(await rowCounts(db)).toEqual(nothing);
  });

  it('a missing signature gets 401', async () => {
    const response = await app.inject({
      method: 'POST',
      url: channel.webhookPath,
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.fields).toEqual([{ field: 'x-hub-signature-256', reason: 'missing' }]);
    expect(await rowCounts(db)).toEqual(nothing);
  });

  it('malformed JSON with a valid signature gets 400 bad_request with the parser reason', async () => {
    const malformed = '{"object":"whatsapp_business_account","entry":[';
    const reason = (() => {
      try {
        JSON.parse(malformed);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const response = await postSigned(app, channel, malformed);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'bad_request',
        message: 'webhook body is not valid JSON',
        fields: [{ field: 'body', reason }],
      },
    });
    expect(await rowCounts(db)).toEqual(nothing);
  });

  it("the simulator's route does not accept the WhatsApp channel's secret", async () => {
    const response = await postSigned(app, simulator, body, {
      'x-hub-signature-256': sign(body, channel.appSecret),
    });
    expect(response.statusCode).toBe(401);
    expect(await rowCounts(db)).toEqual(nothing);
  });
});

describe('GET subscription check', () => {
  it('answers hub.challenge as text/plain when the verify token matches', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toBe('1158201444');
  });

  it.each([
    ['a wrong token', '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1'],
    [
      'the other channel token',
      '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=simulator-token&hub.challenge=1',
    ],
    [
      'another mode',
      '/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1',
    ],
    ['no parameters', '/webhooks/whatsapp'],
  ])('refuses %s with 403', async (_, url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
  });

  it('each channel checks its own token on its own path', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/webhooks/simulator?hub.mode=subscribe&hub.verify_token=simulator-token&hub.challenge=42',
    });
    expect(response.body).toBe('42');
  });
});

describe('accepted webhooks', () => {
  it('a retried webhook stores nothing new', async () => {
    const body = textWebhook({ id: nextWamid(), waId: '27830000010', name: 'Retry', time: T });
    const first = await postSigned(app, channel, body, { 'content-type': 'application/json; charset=utf-8' });
    expect(first.json()).toEqual({ messages: 1, statuses: 0, updates: 0, unrecognised: 0, duplicates: 0 });
    const before = await rowCounts(db);
    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('wa_id', '=', '27830000010')
      .executeTakeFirstOrThrow();

    const second = await postSigned(app, channel, body);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ messages: 0, statuses: 0, updates: 0, unrecognised: 0, duplicates: 1 });
    expect(await rowCounts(db)).toEqual(before);
    expect(
      await db
        .selectFrom('contacts')
        .selectAll()
        .where('wa_id', '=', '27830000010')
        .executeTakeFirstOrThrow(),
    ).toEqual(contact);
  });

  it('two deliveries of one webhook at the same moment store it once', async () => {
    const before = await lastEventId(db);
    const body = textWebhook({ id: nextWamid(), waId: '27830000011', name: 'Twice', time: T });
    const responses = await Promise.all([postSigned(app, channel, body), postSigned(app, channel, body)]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    expect((await eventsAfter(db, before)).map((e) => e.type)).toEqual([
      'contact.created',
      'message.received',
    ]);
    const rows = await db.selectFrom('contacts').select('id').where('wa_id', '=', '27830000011').execute();
    expect(rows).toHaveLength(1);
  });

  it('two messages of a new person at the same moment create one contact', async () => {
    const before = await lastEventId(db);
    const bodies = [T, T + 1].map((time) =>
      textWebhook({ id: nextWamid(), waId: '27830000012', name: 'Busy', time }),
    );
    await Promise.all(bodies.map((b) => postSigned(app, channel, b)));
    const types = (await eventsAfter(db, before)).map((e) => e.type).sort();
    expect(types).toEqual(['contact.created', 'message.received', 'message.received']);
    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('wa_id', '=', '27830000012')
      .executeTakeFirstOrThrow();
    expect(contact.last_inbound_at).toEqual(new Date((T + 1) * 1000));
  });

  it('a new profile name updates the contact once; an older message does not revert it', async () => {
    await postSigned(
      app,
      channel,
      textWebhook({ id: nextWamid(), waId: '27830000013', name: 'Nomvula', time: T + 10 }),
    );
    const before = await lastEventId(db);
    const renamed = await postSigned(
      app,
      channel,
      textWebhook({ id: nextWamid(), waId: '27830000013', name: 'Nomvula K', time: T + 20 }),
    );
    expect(renamed.json().messages).toBe(1);
    const events = await eventsAfter(db, before);
    expect(events.map((e) => e.type)).toEqual(['contact.updated', 'message.received']);
    expect(events[0]!.payload).toEqual({
      changes: { name: { from: 'Nomvula', to: 'Nomvula K' } },
      by: 'whatsapp',
    });
    expect(events[0]!.contact_id).toBe(events[1]!.contact_id);

    // A message sent before the rename but delivered after it (Meta retries for days).
    const late = await lastEventId(db);
    await postSigned(
      app,
      channel,
      textWebhook({ id: nextWamid(), waId: '27830000013', name: 'Nomvula', time: T + 15 }),
    );
    expect((await eventsAfter(db, late)).map((e) => e.type)).toEqual(['message.received']);
    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('wa_id', '=', '27830000013')
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: 'Nomvula K', last_inbound_at: new Date((T + 20) * 1000) });
  });

  it('an authentic body that is not a WhatsApp webhook is kept raw as webhook.unrecognised', async () => {
    const before = await lastEventId(db);
    const body = '{"object":"page","entry":[{"id":"1","time":1732521600,"messaging":[]}]}';
    const response = await postSigned(app, channel, body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ messages: 0, statuses: 0, updates: 0, unrecognised: 1, duplicates: 0 });
    const events = await eventsAfter(db, before);
    expect(events.map((e) => [e.type, e.source, e.channel])).toEqual([
      ['webhook.unrecognised', 'whatsapp', 'whatsapp'],
    ]);
    expect(events[0]!.payload).toEqual({
      reason: 'no schema matched (body)',
      raw_body: body,
      issues: [
        { path: 'object', message: 'Invalid input: expected "whatsapp_business_account"' },
        { path: 'entry.0.changes', message: 'Invalid input: expected array, received undefined' },
      ],
    });
    const again = await postSigned(app, channel, body);
    expect(again.json()).toEqual({ messages: 0, statuses: 0, updates: 0, unrecognised: 0, duplicates: 1 });
  });

  it('a part that matches no schema is kept raw; the rest of the webhook is stored', async () => {
    const good = nextWamid();
    const body = JSON.stringify(
      envelope({
        contacts: [{ profile: { name: 'Part' }, wa_id: '27830000014' }],
        messages: [
          { from: '27830000014', id: good, timestamp: String(T), type: 'text', text: { body: 'fine' } },
          { from: '27830000014', id: nextWamid(), timestamp: String(T), type: 'text', text: {} },
        ],
      }),
    );
    const before = await lastEventId(db);
    const response = await postSigned(app, channel, body);
    expect(response.json()).toEqual({ messages: 1, statuses: 0, updates: 0, unrecognised: 1, duplicates: 0 });
    const events = await eventsAfter(db, before);
    expect(events.map((e) => e.type)).toEqual([
      'contact.created',
      'message.received',
      'webhook.unrecognised',
    ]);
    expect((events[1]!.payload as { external_id: string }).external_id).toBe(good);
    expect(events[2]!.payload).toEqual({
      reason: 'no schema matched entry.0.changes.0.value.messages.1',
      raw_body: body,
      issues: [
        {
          path: 'entry.0.changes.0.value.messages.1.text.body',
          message: 'Invalid input: expected string, received undefined',
        },
      ],
    });
  });

  it('a message type this code does not know yet is stored as a message, raw', async () => {
    const id = nextWamid();
    const raw = { from: '27830000016', id, timestamp: String(T), type: 'request_welcome' };
    const before = await lastEventId(db);
    const response = await postSigned(
      app,
      channel,
      JSON.stringify(envelope({ contacts: [{ wa_id: '27830000016' }], messages: [raw] })),
    );
    expect(response.json()).toEqual({ messages: 1, statuses: 0, updates: 0, unrecognised: 0, duplicates: 0 });
    const [created, received] = await eventsAfter(db, before);
    expect(created!.payload).toEqual({ wa_id: '27830000016', name: null, channel: 'whatsapp' });
    const message = await db
      .selectFrom('messages')
      .select(['id', 'kind'])
      .where('external_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(message.kind).toBe('request_welcome');
    expect(received!.payload).toEqual({
      message_id: message.id,
      external_id: id,
      wa_id: '27830000016',
      profile_name: null,
      message_type: 'request_welcome',
      timestamp: new Date(T * 1000).toISOString(),
      raw,
    });
  });

  it('a messages change with only errors is kept as a channel.update', async () => {
    const value = { errors: [{ code: 131000, title: 'Something went wrong' }] };
    const before = await lastEventId(db);
    const response = await postSigned(app, channel, JSON.stringify(envelope(value)));
    expect(response.json()).toEqual({ messages: 0, statuses: 0, updates: 1, unrecognised: 0, duplicates: 0 });
    const events = await eventsAfter(db, before);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      [
        'channel.update',
        {
          field: 'messages',
          entry_id: '102290129340398',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '105954558954427' },
            ...value,
          },
        },
      ],
    ]);
  });

  it('the simulator channel uses the same code with its own name, secret and path', async () => {
    const before = await lastEventId(db);
    const response = await postSigned(
      app,
      simulator,
      textWebhook({ id: nextWamid(), waId: '27830000015', name: 'Sim', time: T }),
    );
    expect(response.statusCode).toBe(200);
    const events = await eventsAfter(db, before);
    expect(events.map((e) => [e.type, e.source, e.channel])).toEqual([
      ['contact.created', 'simulator', 'simulator'],
      ['message.received', 'simulator', 'simulator'],
    ]);
  });
});
