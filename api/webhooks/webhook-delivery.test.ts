import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { registerConsumer, runConsumerBatch } from '../../core/log/consumer.js';
import { startConsumerRunner } from '../../core/log/consumer-runner.js';
import { readEvents, START_OF_LOG } from '../../core/log/reader.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createMember } from '../trpc/test-support.js';
import { listWebhookDeliveries, replayWebhookDelivery } from './deliveries.js';
import { webhookDeliveryConsumer } from './delivery-consumer.js';
import { deliverDueWebhooks, startWebhookDeliveryWorker } from './delivery-worker.js';
import { verifyWebhookSignature } from './signature.js';
import {
  createWebhookSubscription,
  getWebhookSubscription,
  updateWebhookSubscription,
} from './subscriptions.js';
import { startTestReceiver } from './test-receiver.js';
import { webhookConsumers } from './webhook-consumers.js';

const database = await createTestDatabase();
const { db } = database;
const receiver = await startTestReceiver();
afterAll(() => receiver.close());
const admin = await createMember(db, 'admin');
const consumer = webhookDeliveryConsumer();
await registerConsumer(db, consumer.name);
const local = { allowLocal: true };

function contactCreated(waId: string) {
  return {
    type: 'contact.created' as const,
    source: 'api',
    channel: 'whatsapp',
    payload: { wa_id: waId, name: null, channel: 'whatsapp' },
  };
}

/** Runs the consumer until it has applied everything committed so far. */
async function consumeAll() {
  for (let i = 0; i < 200; i++) {
    const outcome = await runConsumerBatch(db, consumer);
    if (outcome.kind === 'idle') return;
    if (outcome.kind !== 'applied') await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the consumer did not catch up');
}

describe('outbound webhooks', () => {
  it('delivers each event once per subscription, signed, and nothing twice', async () => {
    const a = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/a'), event_types: ['contact.created'] },
      local,
    );
    const b = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/b'), event_types: ['contact.created', 'message.received'] },
      local,
    );
    await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/c'), event_types: ['message.sent'] },
      local,
    );
    const appended = await append(db, [contactCreated('27820000001'), contactCreated('27820000002')]);
    await consumeAll();
    // A batch handled twice (a crash before the cursor commits) creates no second delivery.
    const events = (await readEvents(db, START_OF_LOG)).filter((e) => e.type === 'contact.created');
    await db.transaction().execute((tx) => consumer.handle(tx, events));

    expect(await deliverDueWebhooks({ db, allowLocal: true })).toBe(4);
    expect(await deliverDueWebhooks({ db, allowLocal: true })).toBe(0);
    const got = receiver.received.filter((r) => r.path === '/a' || r.path === '/b');
    expect(got.map((r) => `${r.path} ${r.headers['x-parley-event-id']}`).sort()).toEqual(
      [
        `/a ${appended.ids[0]}`,
        `/a ${appended.ids[1]}`,
        `/b ${appended.ids[0]}`,
        `/b ${appended.ids[1]}`,
      ].sort(),
    );
    expect(receiver.received.filter((r) => r.path === '/c')).toEqual([]);

    const first = got.find((r) => r.path === '/a' && r.headers['x-parley-event-id'] === appended.ids[0])!;
    const deliveriesOfA = await listWebhookDeliveries(db, a.id);
    const sequenceOf = (eventId: string) => Number(deliveriesOfA.find((d) => d.event_id === eventId)!.id);
    expect(JSON.parse(first.body)).toEqual({
      id: appended.ids[0],
      sequence: sequenceOf(appended.ids[0]!),
      type: 'contact.created',
      occurred_at: expect.stringMatching(/Z$/),
      contact_id: null,
      channel: 'whatsapp',
      payload: { wa_id: '27820000001', name: null, channel: 'whatsapp' },
    });
    expect(first.headers['content-type']).toBe('application/json');
    const timestamp = Number(first.headers['x-parley-timestamp']);
    expect(first.headers['x-parley-signature']).toMatch(new RegExp(`^t=${timestamp},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(a.secret, String(first.headers['x-parley-signature']), first.body)).toBe(
      true,
    );
    expect(verifyWebhookSignature(b.secret, String(first.headers['x-parley-signature']), first.body)).toBe(
      false,
    );

    const log = await listWebhookDeliveries(db, a.id);
    expect(log.map((d) => [d.state, d.attempts, d.last_status_code])).toEqual([
      ['succeeded', 1, 200],
      ['succeeded', 1, 200],
    ]);
    expect(log[0]!.attempt_log).toEqual([
      {
        attempt: 1,
        started_at: expect.any(Date),
        status_code: 200,
        latency_ms: expect.any(Number),
        error: null,
        response_excerpt: 'ok',
        replay: false,
      },
    ]);
  });

  it('retries a failing receiver on the backoff schedule, flags the subscription, and replays', async () => {
    receiver.answer('/down', 500, 'database is down');
    const sub = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/down'), event_types: ['message.status'] },
      local,
    );
    await append(db, [
      {
        type: 'message.status',
        source: 'whatsapp',
        channel: 'whatsapp',
        payload: { external_id: 'wamid.1', status: 'delivered', timestamp: new Date().toISOString() },
      },
    ]);
    await consumeAll();
    let clock = Date.now() + 1000;
    const run = () =>
      deliverDueWebhooks({ db, allowLocal: true, now: () => new Date(clock), failingAfter: 3 });
    const posts = () => receiver.received.filter((r) => r.path === '/down').length;

    expect(await run()).toBe(1);
    clock += 9_000;
    expect(await run()).toBe(0); // 9 s later: not yet
    clock += 1_000;
    expect(await run()).toBe(1); // 10 s after the first attempt
    clock += 59_000;
    expect(await run()).toBe(0);
    clock += 1_000;
    expect(await run()).toBe(1); // then 1 min
    expect(posts()).toBe(3);

    const [delivery] = await listWebhookDeliveries(db, sub.id);
    expect(delivery!.state).toBe('pending');
    expect(delivery!.next_attempt_at?.getTime()).toBe(clock + 5 * 60_000);
    expect(delivery!.attempt_log.map((a) => [a.attempt, a.status_code, a.error, a.response_excerpt])).toEqual(
      [
        [1, 500, 'receiver answered 500', 'database is down'],
        [2, 500, 'receiver answered 500', 'database is down'],
        [3, 500, 'receiver answered 500', 'database is down'],
      ],
    );
    const flagged = await getWebhookSubscription(db, sub.id);
    expect([flagged.failing, flagged.consecutive_failures, flagged.failing_since?.getTime()]).toEqual([
      true,
      3,
      clock,
    ]);

    // The receiver recovers; the next scheduled attempt succeeds and clears the alert.
    receiver.answer('/down', 204);
    clock += 5 * 60_000;
    expect(await run()).toBe(1);
    const recovered = await getWebhookSubscription(db, sub.id);
    expect([recovered.failing, recovered.consecutive_failures, recovered.failing_since]).toEqual([
      false,
      0,
      null,
    ]);

    // An admin replays the delivery: it is sent once more, recorded as a replay, and audited.
    const replayed = await replayWebhookDelivery(db, admin.actor, sub.id, delivery!.id);
    expect(replayed.state).toBe('pending');
    expect(await run()).toBe(1);
    expect(posts()).toBe(5);
    const [after] = await listWebhookDeliveries(db, sub.id);
    expect(after!.attempt_log.map((a) => [a.attempt, a.status_code, a.replay])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 204, false],
      [5, 204, true],
    ]);
    const audit = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'operator.action')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.payload).toMatchObject({
      action: 'webhook.replay',
      target: { kind: 'webhook_delivery', id: delivery!.id },
    });
  });

  it('a late answer to a delivery whose lease ran out and was claimed again changes nothing', async () => {
    // The first request hangs until released; the second (after the lease) is answered at once.
    let release: ((status: number) => void) | undefined;
    let requests = 0;
    const slow = createServer((req, res) => {
      requests += 1;
      req.resume();
      if (requests === 1) {
        release = (status) => res.writeHead(status).end('late');
      } else res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    const sub = await createWebhookSubscription(
      db,
      admin.actor,
      { url: `http://127.0.0.1:${port}/slow`, event_types: ['simulator.reset'] },
      local,
    );
    await append(db, [
      {
        type: 'simulator.reset',
        source: 'simulator',
        channel: 'simulator',
        payload: { wa_id: '27829990000' },
      },
    ]);
    await consumeAll();
    const start = Date.now() + 1000;
    const stale = deliverDueWebhooks({ db, allowLocal: true, now: () => new Date(start), timeoutMs: 60_000 });
    while (!release) await new Promise((r) => setTimeout(r, 5));
    // An hour later the first claim's lease (timeout + 30 s) has long run out: another worker claims it.
    expect(await deliverDueWebhooks({ db, allowLocal: true, now: () => new Date(start + 3_600_000) })).toBe(
      1,
    );
    release(500);
    expect(await stale).toBe(1);
    const [delivery] = await listWebhookDeliveries(db, sub.id);
    expect(delivery).toMatchObject({
      state: 'succeeded',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
    });
    expect(delivery!.attempt_log.map((a) => [a.attempt, a.status_code])).toEqual([[1, 200]]);
    expect((await getWebhookSubscription(db, sub.id)).consecutive_failures).toBe(0);
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it("an admin's replay while an attempt is in flight: only the replay's answer is recorded", async () => {
    let release: ((status: number) => void) | undefined;
    let requests = 0;
    const slow = createServer((req, res) => {
      requests += 1;
      req.resume();
      if (requests === 1) release = (status) => res.writeHead(status).end('late');
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    const sub = await createWebhookSubscription(
      db,
      admin.actor,
      { url: `http://127.0.0.1:${port}/replayed`, event_types: ['webhook.unrecognised'] },
      local,
    );
    await append(db, [
      { type: 'webhook.unrecognised', source: 'whatsapp', payload: { reason: 'test', raw_body: '{}' } },
    ]);
    await consumeAll();
    const inFlight = deliverDueWebhooks({ db, allowLocal: true, timeoutMs: 60_000 });
    while (!release) await new Promise((r) => setTimeout(r, 5));
    const [delivery] = await listWebhookDeliveries(db, sub.id);
    await replayWebhookDelivery(db, admin.actor, sub.id, delivery!.id);
    expect(await deliverDueWebhooks({ db, allowLocal: true })).toBe(1);
    release(500);
    expect(await inFlight).toBe(1);
    const [after] = await listWebhookDeliveries(db, sub.id);
    expect([after!.state, after!.attempts, after!.last_status_code]).toEqual(['succeeded', 1, 200]);
    expect(after!.attempt_log.map((a) => [a.attempt, a.status_code, a.replay])).toEqual([[1, 200, true]]);
    expect((await getWebhookSubscription(db, sub.id)).consecutive_failures).toBe(0);
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it('a subscription turned off keeps its deliveries waiting, and turned back on sends them', async () => {
    const sub = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/paused'), event_types: ['template.deleted'] },
      local,
    );
    await append(db, [
      {
        type: 'template.deleted',
        source: 'api',
        payload: { template_id: '9', name: 'old', language: 'en', meta_template_id: '99', by: 'user:1' },
      },
    ]);
    await consumeAll();
    await updateWebhookSubscription(db, admin.actor, sub.id, { active: false }, local);
    const posts = () => receiver.received.filter((r) => r.path === '/paused').length;
    await deliverDueWebhooks({ db, allowLocal: true });
    expect(posts()).toBe(0);
    expect((await listWebhookDeliveries(db, sub.id)).map((d) => [d.state, d.attempts])).toEqual([
      ['pending', 0],
    ]);
    await updateWebhookSubscription(db, admin.actor, sub.id, { active: true }, local);
    expect(await deliverDueWebhooks({ db, allowLocal: true })).toBe(1);
    expect(posts()).toBe(1);
    expect((await listWebhookDeliveries(db, sub.id)).map((d) => [d.state, d.attempts])).toEqual([
      ['succeeded', 1],
    ]);
  });

  it('gives up 24 hours after the first attempt', async () => {
    receiver.answer('/gone', 503);
    const sub = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/gone'), event_types: ['message.marked_read'] },
      local,
    );
    await append(db, [
      {
        type: 'message.marked_read',
        source: 'sender',
        channel: 'whatsapp',
        payload: { external_id: 'wamid.2' },
      },
    ]);
    await consumeAll();
    let clock = Date.now() + 1000;
    const start = clock;
    for (;;) {
      await deliverDueWebhooks({ db, allowLocal: true, now: () => new Date(clock) });
      const [d] = await listWebhookDeliveries(db, sub.id);
      if (d!.state !== 'pending') break;
      clock = d!.next_attempt_at!.getTime();
    }
    const [d] = await listWebhookDeliveries(db, sub.id);
    expect([d!.state, d!.attempts, d!.attempt_log.length, d!.next_attempt_at]).toEqual([
      'failed',
      9,
      9,
      null,
    ]);
    expect(d!.attempt_log.at(-1)!.started_at.getTime() - start).toBe(74_170_000);
  });

  it('refuses a destination that resolves to a local address at delivery time, and does not follow redirects', async () => {
    // Saved while "rebind.example.org" resolved to a public address; at delivery it resolves to loopback.
    let address = '93.184.215.14';
    const lookup = async () => [{ address, family: 4 as const }];
    const rebind = await createWebhookSubscription(
      db,
      admin.actor,
      { url: `http://rebind.example.org:${receiver.port}/rebind`, event_types: ['channel.update'] },
      // Saved with local targets allowed only because the test receiver is on a high port.
      { allowLocal: true, lookup },
    );
    receiver.answer('/redirect', 302, '', { location: 'http://169.254.169.254/latest/meta-data/' });
    const redirect = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/redirect'), event_types: ['channel.update'] },
      local,
    );
    await append(db, [
      { type: 'channel.update', source: 'whatsapp', payload: { field: 'account_update', value: { x: 1 } } },
    ]);
    await consumeAll();
    address = '127.0.0.1';
    const before = receiver.received.length;
    expect(await deliverDueWebhooks({ db, allowLocal: false, lookup })).toBe(2);
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual([]);
    const [refused] = await listWebhookDeliveries(db, rebind.id);
    expect(refused!.attempt_log[0]).toMatchObject({
      status_code: null,
      error:
        'The webhook URL is not allowed: rebind.example.org resolves to 127.0.0.1 is a local, private or reserved address. Set PARLEY_ALLOW_LOCAL_WEBHOOKS=true to allow local targets and any port (development only).',
    });
    // The redirect hop is to 127.0.0.1 itself, refused the same way when local targets are not allowed;
    // with them allowed, the 302 is recorded as a failure and the Location is never fetched.
    expect((await listWebhookDeliveries(db, redirect.id))[0]!.attempt_log[0]!.error).toMatch(
      /127\.0\.0\.1 is a local/,
    );
    const later = Date.now() + 11_000;
    expect(await deliverDueWebhooks({ db, allowLocal: true, now: () => new Date(later), lookup })).toBe(2);
    const [redirected] = await listWebhookDeliveries(db, redirect.id);
    expect(redirected!.attempt_log[1]).toMatchObject({
      status_code: 302,
      error: 'redirect to http://169.254.169.254/latest/meta-data/ not followed',
    });
    // With local targets allowed, the rebound name is delivered to; the Location was never requested.
    expect(
      receiver.received
        .slice(before)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/rebind', '/redirect']);
  });

  it('runs end to end with the consumer runner and the worker loop, as the platform wires them', async () => {
    const sub = await createWebhookSubscription(
      db,
      admin.actor,
      { url: receiver.url('/live'), event_types: ['message.sent'] },
      local,
    );
    const runner = await startConsumerRunner({
      db,
      databaseUrl: database.url,
      consumers: webhookConsumers(),
      pollIntervalMs: 200,
    });
    const worker = startWebhookDeliveryWorker({ db, allowLocal: true, pollIntervalMs: 50 });
    try {
      const { ids } = await append(db, [
        {
          type: 'message.sent',
          source: 'sender',
          channel: 'whatsapp',
          payload: { message_id: '1', external_id: 'wamid.live', attempts: 1 },
        },
      ]);
      const deadline = Date.now() + 10_000;
      while (!receiver.received.some((r) => r.path === '/live') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      const got = receiver.received.filter((r) => r.path === '/live');
      expect(got.map((r) => r.headers['x-parley-event-id'])).toEqual([ids[0]]);
      expect(
        verifyWebhookSignature(sub.secret, String(got[0]!.headers['x-parley-signature']), got[0]!.body),
      ).toBe(true);
    } finally {
      await worker.stop();
      await runner.stop();
    }
  });
});
