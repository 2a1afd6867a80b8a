import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { queueMarkAsRead } from '../../core/outbox/queue-mark-as-read.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import type { Channel } from '../channels.js';
import { type FakeGraphApi, startFakeGraphApi } from '../fake-graph-api/fake-graph-api.js';
import { graphErrors } from '../fake-graph-api/graph-errors.js';
import { createSender, type SenderOptions } from './sender.js';

const database = await createTestDatabase();
const { db } = database;
const fake = await startFakeGraphApi({ appSecret: 's', accessToken: 'tok' });
afterAll(() => fake.stop());

function channelFor(graph: FakeGraphApi, overrides: Partial<Channel> = {}): Channel {
  return {
    name: 'whatsapp',
    kind: 'whatsapp',
    phoneNumberId: '1555',
    graphUrl: graph.url,
    apiVersion: 'v23.0',
    accessToken: 'tok',
    appSecret: 's',
    verifyToken: 'v',
    rateLimitPerSecond: 80,
    sendTimeoutMs: 2000,
    webhookPath: '/webhooks/whatsapp',
    ...overrides,
  };
}

let nextWaId = 27_840_000_000;
async function queueText(body = 'hello'): Promise<{ messageId: string; waId: string }> {
  const waId = String(nextWaId++);
  await db
    .insertInto('contacts')
    .values({ channel: 'whatsapp', wa_id: waId, last_inbound_at: new Date() })
    .execute();
  const q = await db
    .transaction()
    .execute((tx) => queueMessage(tx, { channel: 'whatsapp', wa_id: waId, message: { type: 'text', body } }));
  return { messageId: q.messageId, waId };
}

async function withSender<T>(options: Partial<SenderOptions>, run: () => Promise<T>): Promise<T> {
  const errors: unknown[] = [];
  const sender = createSender({
    db,
    channels: [channelFor(fake)],
    backoffBaseMs: 20,
    backoffCapMs: 200,
    onError: (e) => errors.push(e),
    ...options,
  });
  await sender.start();
  try {
    const result = await run();
    await sender.drain();
    return result;
  } finally {
    await sender.stop();
    expect(errors).toEqual([]);
  }
}

const requestsFor = (graph: FakeGraphApi, messageId: string) =>
  graph.requests.filter(
    (r) =>
      (r.body as { biz_opaque_callback_data?: string })?.biz_opaque_callback_data === `parley:${messageId}`,
  );

async function state(messageId: string) {
  const message = await db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  const outbox = await db
    .selectFrom('outbox')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  const events = await sql<{
    type: string;
    source: string;
    idempotency_key: string;
    payload: Record<string, unknown>;
  }>`
    select type, source, idempotency_key, payload from events
    where type in ('message.sent', 'message.status') and payload->>'message_id' = ${messageId} order by id`.execute(
    db,
  );
  return { message, outbox, events: events.rows };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sender', () => {
  it('delivers a queued message when NOTIFY wakes it, and records the wamid and message.sent', async () => {
    await withSender({ databaseUrl: database.url, pollIntervalMs: 60_000 }, async () => {
      const { messageId } = await queueText('first');
      // A minute-long poll: only the NOTIFY of the queued event can wake the sender in time.
      await waitFor(async () => (await state(messageId)).outbox.state === 'sent');
      const requests = requestsFor(fake, messageId);
      expect(requests.length).toBe(1);
      const { message, outbox, events } = await state(messageId);
      expect(requests[0]!.authorization).toBe('Bearer tok');
      expect(requests[0]!.path).toBe('/v23.0/1555/messages');
      expect(requests[0]!.body).toStrictEqual(outbox.body);
      expect(message).toMatchObject({ status: 'sent', external_id: requests[0]!.wamid });
      expect(outbox).toMatchObject({ state: 'sent', attempts: 1, claimed_until: null, last_error: null });
      expect(events).toStrictEqual([
        {
          type: 'message.sent',
          source: 'sender',
          idempotency_key: `sent:${messageId}`,
          payload: { message_id: messageId, external_id: requests[0]!.wamid, attempts: 1 },
        },
      ]);
    });
  });

  it('re-checks the person when it claims a row: blocked or erased since queued, it is failed unsent', async () => {
    const blocked = await queueText('to a person blocked after queueing');
    const erased = await queueText('to a person erased after queueing');
    // The block and the erasure commit without touching these rows (a race with the queueing).
    await db.updateTable('contacts').set({ blocked: true }).where('wa_id', '=', blocked.waId).execute();
    await db
      .updateTable('contacts')
      .set({ erased_at: new Date() })
      .where('wa_id', '=', erased.waId)
      .execute();
    await withSender({}, async () => {
      await waitFor(async () => (await state(erased.messageId)).outbox.state === 'failed');
      await waitFor(async () => (await state(blocked.messageId)).outbox.state === 'failed');
    });
    for (const { messageId } of [blocked, erased]) {
      expect(requestsFor(fake, messageId)).toEqual([]);
      const { message, outbox, events } = await state(messageId);
      expect(message).toMatchObject({ status: 'failed', error_title: 'contact blocked' });
      expect(outbox.last_error).toBe(
        'no answer: contact blocked (the person was blocked or erased after the message was queued; it was not sent)',
      );
      expect(events.map((e) => [e.type, e.idempotency_key, e.payload.status])).toEqual([
        ['message.status', `send-failed:${messageId}`, 'failed'],
      ]);
    }
  });

  it('retries 429 / 130429 with backoff and sends the message once', async () => {
    const { messageId, waId } = await queueText();
    fake.injectFailures({ error: graphErrors.throughput(), times: 2, match: (b) => b.to === waId });
    fake.injectFailures({ error: graphErrors.pairRateLimit(), times: 1, match: (b) => b.to === waId });
    await withSender({}, async () => {});
    const requests = requestsFor(fake, messageId);
    expect(requests.map((r) => r.status)).toEqual([429, 429, 400, 200]);
    const { message, outbox, events } = await state(messageId);
    expect(outbox).toMatchObject({ state: 'sent', attempts: 4 });
    expect(message.external_id).toBe(requests[3]!.wamid);
    expect(events.map((e) => [e.type, e.payload.attempts])).toEqual([['message.sent', 4]]);
  });

  it('records a permanent 400 as failed with Meta code and title', async () => {
    const { messageId, waId } = await queueText();
    fake.injectFailures({ error: graphErrors.notAllowed(), match: (b) => b.to === waId });
    await withSender({}, async () => {});
    const { message, outbox, events } = await state(messageId);
    expect(requestsFor(fake, messageId).length).toBe(1);
    expect(outbox).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error:
        'HTTP 400 code 131030: (#131030) Recipient phone number not in allowed list (Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.)',
    });
    expect(message).toMatchObject({
      status: 'failed',
      error_code: 131030,
      error_title: '(#131030) Recipient phone number not in allowed list',
      external_id: null,
    });
    expect(events).toStrictEqual([
      {
        type: 'message.status',
        source: 'sender',
        idempotency_key: `send-failed:${messageId}`,
        payload: {
          message_id: messageId,
          external_id: null,
          status: 'failed',
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          recipient_id: waId,
          errors: [
            {
              code: 131030,
              title: '(#131030) Recipient phone number not in allowed list',
              message:
                'Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.',
            },
          ],
        },
      },
    ]);
  });

  it('retries after a timeout and after a dropped connection', async () => {
    const hung = await queueText();
    const dropped = await queueText();
    fake.injectFailures({ error: { kind: 'hang' }, match: (b) => b.to === hung.waId });
    fake.injectFailures({ error: { kind: 'drop' }, match: (b) => b.to === dropped.waId });
    await withSender({ channels: [channelFor(fake, { sendTimeoutMs: 300 })] }, async () => {});
    for (const { messageId } of [hung, dropped]) {
      expect(requestsFor(fake, messageId).map((r) => r.status)).toEqual([null, 200]);
      const { message, outbox, events } = await state(messageId);
      expect(outbox).toMatchObject({ state: 'sent', attempts: 2 });
      expect(message.status).toBe('sent');
      expect(events.map((e) => e.type)).toEqual(['message.sent']);
    }
  });

  it('retries a 200 answer that carries no wamid (whether Meta sent it is unknown)', async () => {
    const { messageId, waId } = await queueText();
    fake.injectFailures({
      error: { kind: 'graph', httpStatus: 200, code: 0, message: 'not a send result' },
      match: (b) => b.to === waId,
    });
    await withSender({}, async () => {});
    expect(requestsFor(fake, messageId).map((r) => r.status)).toEqual([200, 200]);
    const { outbox, events } = await state(messageId);
    expect(outbox).toMatchObject({ state: 'sent', attempts: 2 });
    expect(events.map((e) => e.payload.external_id)).toEqual([requestsFor(fake, messageId)[1]!.wamid]);
  });

  it('gives up after maxAttempts retryable errors, keeping the last Meta code', async () => {
    const { messageId, waId } = await queueText();
    fake.injectFailures({ error: graphErrors.internal(), times: 3, match: (b) => b.to === waId });
    await withSender({ maxAttempts: 3 }, async () => {});
    const { message, outbox } = await state(messageId);
    expect(requestsFor(fake, messageId).map((r) => r.status)).toEqual([500, 500, 500]);
    expect(outbox).toMatchObject({ state: 'failed', attempts: 3 });
    expect(message).toMatchObject({
      status: 'failed',
      error_code: 131000,
      error_title: '(#131000) Something went wrong',
    });
  });

  it('keeps status forward-only when the status webhook lands before the settle', async () => {
    const slow = await startFakeGraphApi({ appSecret: 's', latencyMs: 300 });
    try {
      const { messageId } = await queueText();
      const sender = createSender({ db, channels: [channelFor(slow)] });
      await sender.start();
      await waitFor(async () => requestsFor(slow, messageId).length === 1);
      // What the webhook route does when `delivered` arrives first (matched by biz_opaque_callback_data).
      await db.updateTable('messages').set({ status: 'delivered' }).where('id', '=', messageId).execute();
      await sender.drain();
      await sender.stop();
      const { message } = await state(messageId);
      expect(message).toMatchObject({
        status: 'delivered',
        external_id: requestsFor(slow, messageId)[0]!.wamid,
      });
    } finally {
      await slow.stop();
    }
  });

  it('sends a read receipt and appends message.marked_read', async () => {
    const { waId } = await queueText();
    const contact = await db
      .selectFrom('contacts')
      .select('id')
      .where('wa_id', '=', waId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('messages')
      .values({
        channel: 'whatsapp',
        contact_id: contact.id,
        direction: 'inbound',
        kind: 'text',
        external_id: 'wamid.IN9',
        status: 'received',
      })
      .execute();
    const { outboxId } = await db
      .transaction()
      .execute((tx) => queueMarkAsRead(tx, { channel: 'whatsapp', externalId: 'wamid.IN9' }));
    await withSender({}, async () => {});
    expect(
      fake.requests
        .filter((r) => (r.body as { message_id?: string }).message_id === 'wamid.IN9')
        .map((r) => r.response),
    ).toEqual([{ success: true }]);
    const outbox = await db
      .selectFrom('outbox')
      .select('state')
      .where('id', '=', outboxId)
      .executeTakeFirstOrThrow();
    expect(outbox.state).toBe('sent');
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'message.marked_read')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      contact_id: contact.id,
      source: 'sender',
      payload: { external_id: 'wamid.IN9' },
    });
  });

  it('paces requests per phone number: at 5/s, 20 messages never exceed 5 in a one-second window', async () => {
    const paced = await startFakeGraphApi({ appSecret: 's' });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await queueText(`paced ${i}`)).messageId);
      await withSender({ channels: [channelFor(paced, { rateLimitPerSecond: 5 })] }, async () => {});
      const times = paced.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(times.length).toBe(20);
      const most = (windowMs: number) =>
        Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
      // Times are taken on arrival at the fake, so they include the network: the first request
      // also opens the TCP connection and arrives some milliseconds late. Allow 20 ms of that.
      expect(most(980)).toBe(5);
      expect(most(1000)).toBeLessThanOrEqual(6);
      // And the pace is the limit, not slower: 20 requests at 5/s span about 19 intervals of 200 ms.
      expect(times.at(-1)! - times[0]!).toBeGreaterThan(3700);
      expect(times.at(-1)! - times[0]!).toBeLessThan(5000);
      const sent = await db.selectFrom('messages').select('status').where('id', 'in', ids).execute();
      expect(sent.map((m) => m.status)).toEqual(Array(20).fill('sent'));
    } finally {
      await paced.stop();
    }
  });
});
