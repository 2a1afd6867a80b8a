import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/api-tokens.js';
import { registerApi } from '../../api/register-api.js';
import { buildServer } from '../../api/server.js';
import { accountOf } from '../../api/templates/template-account.js';
import { createMember } from '../../api/trpc/test-support.js';
import { webhookDeliveryConsumer } from '../../api/webhooks/delivery-consumer.js';
import { deliverDueWebhooks } from '../../api/webhooks/delivery-worker.js';
import { verifyWebhookSignature } from '../../api/webhooks/signature.js';
import { startTestReceiver } from '../../api/webhooks/test-receiver.js';
import { startConsumerRunner } from '../../core/log/consumer-runner.js';
import { chargesConsumer, ensureSeedRateCard } from '../../engine/billing/index.js';
import { createReminder, createReminderRunner, scheduleReminder } from '../../engine/reminders/index.js';
import { FAKE_WABA_ID, startFakeGraphApi } from '../../ingest/fake-graph-api/fake-graph-api.js';
import { simulatorChannel } from '../../ingest/simulator/simulator-channel.js';
import { createSender } from '../../ingest/whatsapp/sender.js';
import { registerWhatsAppWebhook } from '../../ingest/whatsapp/webhook-route.js';
import { runUntilIdle } from '../setup/run-until-idle.js';
import { createTestDatabase } from '../setup/test-database.js';

// Integrators' webhooks for the template, reminder and charge families, end to end: the event
// comes from the real path (Meta's template status webhook from the fake Graph API, the
// reminder runner, the charges consumer billing a status with Meta's pricing), the delivery
// consumer turns it into deliveries of the subscriptions that name its type, and the delivery
// worker POSTs the signed body to a real HTTP receiver.
const database = await createTestDatabase({ max: 10 });
const { db } = database;
const appSecret = randomBytes(16).toString('hex');
const fake = await startFakeGraphApi({ appSecret, accessToken: 'hook-token', statusDelayMs: 5 });
const channel = simulatorChannel({ fakeGraphUrl: fake.url, appSecret, accessToken: 'hook-token' });
await ensureSeedRateCard(db);
const app = await buildServer({
  config: { logLevel: 'silent' },
  database,
  routes: [
    (scope) => registerWhatsAppWebhook(scope, { db, channel }),
    (scope) =>
      registerApi(scope, {
        database,
        config: { publicUrl: undefined, allowLocalWebhooks: true },
        channels: [channel],
        templateAccount: accountOf(channel, FAKE_WABA_ID),
      }),
  ],
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
fake.setWebhookUrl(`${url}${channel.webhookPath}`);
const receiver = await startTestReceiver();
const admin = await createMember(db, 'admin');
const token = (
  await createApiToken(db, admin.actor, {
    name: 'integrator',
    scopes: ['messages.send', 'webhooks.manage', 'contacts.write', 'reminders.write', 'reminders.read'],
  })
).token;
afterAll(async () => {
  await fake.stop();
  const closing = app.close();
  app.server.closeAllConnections();
  await closing;
  await receiver.close();
}, 20_000);

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Subscribes through the REST API, as an integrator does; returns the signing secret. */
async function subscribe(path: string, eventTypes: string[]): Promise<string> {
  const created = await api('POST', '/v1/webhooks', { url: receiver.url(path), event_types: eventTypes });
  expect(created.status).toBe(201);
  return String(created.json.secret);
}

/** Turns everything logged so far into deliveries and delivers them; returns the bodies for `path`. */
async function deliveredTo(path: string, secret: string) {
  await runUntilIdle(db, webhookDeliveryConsumer());
  while ((await deliverDueWebhooks({ db, allowLocal: true })) > 0);
  const got = receiver.received.filter((r) => r.path === path);
  for (const r of got)
    expect(verifyWebhookSignature(secret, String(r.headers['x-parley-signature']), r.body)).toBe(true);
  // Deliveries go out in parallel: order them by `sequence`, as integrators are told to.
  return got
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .sort((a, b) => Number(a.sequence) - Number(b.sequence));
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const envelope = { sequence: expect.any(Number), occurred_at: expect.stringMatching(/Z$/) };

describe('integrator webhooks for templates, reminders and charges', () => {
  it('template.*: a created template and Meta’s status webhook from the Graph API reach a subscriber', async () => {
    const secret = await subscribe('/templates', ['template.created', 'template.status_changed']);
    const created = await api('POST', '/v1/templates', {
      name: 'visit_reminder',
      language: 'en',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your visit is tomorrow.' }],
    });
    expect(created.status).toBe(201);
    const templateId = String(created.json.id);
    const metaId = String(created.json.meta_template_id);
    expect((await fake.setTemplateStatus(metaId, 'APPROVED'))?.status).toBe(200);
    const events = await db
      .selectFrom('events')
      .select(['id', 'type'])
      .where('type', 'like', 'template.%')
      .orderBy('id')
      .execute();
    expect(await deliveredTo('/templates', secret)).toEqual([
      {
        ...envelope,
        id: events[0]!.id,
        type: 'template.created',
        contact_id: null,
        channel: null,
        payload: {
          template_id: templateId,
          name: 'visit_reminder',
          language: 'en',
          category: 'UTILITY',
          parameter_format: 'positional',
          components: [{ type: 'BODY', text: 'Your visit is tomorrow.' }],
          meta_template_id: metaId,
          status: 'PENDING',
          by: expect.stringMatching(/^api_token:\d+$/),
        },
      },
      {
        ...envelope,
        id: events[1]!.id,
        type: 'template.status_changed',
        contact_id: null,
        channel: 'simulator',
        payload: {
          template_id: templateId,
          meta_template_id: metaId,
          name: 'visit_reminder',
          language: 'en',
          event: 'APPROVED',
          status: 'APPROVED',
          previous_status: 'PENDING',
          reason: null,
          category: 'UTILITY',
          detail: null,
          waba_id: FAKE_WABA_ID,
        },
      },
    ]);
  });

  it('charge.*: a template message priced by Meta’s status webhook is charged, and the subscriber hears it', async () => {
    const secret = await subscribe('/charges', ['charge.reserved', 'charge.created']);
    const sent = await api('POST', '/v1/messages', {
      to: '27821230009',
      message: { type: 'template', name: 'weekly_reminder', language: 'en' },
    });
    expect(sent.status).toBe(202);
    const messageId = String(sent.json.id);
    const sender = createSender({ db, channels: [channel], databaseUrl: database.url, pollIntervalMs: 20 });
    await sender.start();
    const runner = await startConsumerRunner({
      db,
      databaseUrl: database.url,
      consumers: [chargesConsumer()],
    });
    try {
      await until(
        () => db.selectFrom('charges').select('id').execute(),
        (rows) => rows.length === 1,
      );
    } finally {
      await runner.stop();
      await sender.stop();
    }
    const events = await db
      .selectFrom('events')
      .select(['id', 'type', 'contact_id'])
      .where('type', 'like', 'charge.%')
      .orderBy('id')
      .execute();
    const contactId = events[0]!.contact_id;
    // The fake prices a template as utility (regular): South Africa 0.0076 USD; 0.0379 was held.
    const common = { ...envelope, contact_id: contactId, channel: 'simulator' };
    expect(await deliveredTo('/charges', secret)).toEqual([
      {
        ...common,
        id: events[0]!.id,
        type: 'charge.reserved',
        payload: {
          message_id: messageId,
          amount_micros: 37_900,
          currency: 'USD',
          calling_code: '27',
          market: 'South Africa',
        },
      },
      {
        ...common,
        id: events[1]!.id,
        type: 'charge.created',
        payload: {
          charge_id: expect.stringMatching(/^\d+$/),
          message_id: messageId,
          amount_micros: 7600,
          currency: 'USD',
          category: 'utility',
          pricing_model: 'PMP',
          rate_card_id: expect.stringMatching(/^\d+$/),
          calling_code: '27',
          market: 'South Africa',
          reserved_micros: 37_900,
        },
      },
    ]);
    const charge = await db.selectFrom('charges').select(['id', 'rate_card_id']).executeTakeFirstOrThrow();
    const [, createdBody] = receiver.received
      .filter((r) => r.path === '/charges')
      .map((r) => JSON.parse(r.body))
      .sort((a, b) => a.sequence - b.sequence);
    expect([createdBody.payload.charge_id, createdBody.payload.rate_card_id]).toEqual([
      charge.id,
      charge.rate_card_id,
    ]);
  });

  it('reminder.*: a scheduled reminder’s changes, run and sends reach a subscriber', async () => {
    const secret = await subscribe('/reminders', ['reminder.changed', 'reminder.run', 'reminder.send']);
    const person = await api('POST', '/v1/contacts', { wa_id: '27821230010', name: 'Thandi' });
    const contactId = String(person.json.id);
    const reminder = await db.transaction().execute(async (tx) => {
      const created = await createReminder(
        tx,
        {
          name: 'Clinic visit',
          template: { name: 'clinic_visit', language: 'en', category: 'utility', body: [] },
          audience: { contact_ids: [contactId] },
          schedule: { kind: 'now' },
          options: {},
        },
        'user:1',
      );
      return scheduleReminder(tx, created.id, 'user:1', new Date());
    });
    const runner = createReminderRunner({ db, messagingLimit: null });
    await runner.tick();
    await runner.tick();
    const events = await db
      .selectFrom('events')
      .select(['id', 'type', 'payload'])
      .where('type', 'like', 'reminder.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual([
      'reminder.changed',
      'reminder.changed',
      'reminder.run',
      'reminder.send',
      'reminder.run',
      'reminder.changed',
    ]);
    const messageId = (events[3]!.payload as { message_id: string }).message_id;
    const runId = (events[2]!.payload as { run_id: string }).run_id;
    const dueAt = reminder.next_run_at!.toISOString();
    const common = { ...envelope, contact_id: null, channel: null };
    const changed = (i: number, payload: Record<string, unknown>) => ({
      ...common,
      id: events[i]!.id,
      type: 'reminder.changed',
      payload: { reminder_id: reminder.id, reason: null, next_run_at: null, ...payload },
    });
    const run = (i: number, action: string) => ({
      ...common,
      id: events[i]!.id,
      type: 'reminder.run',
      payload: {
        reminder_id: reminder.id,
        run_id: runId,
        action,
        due_at: dueAt,
        targeted: 1,
        reason: null,
        resume_at: null,
      },
    });
    expect(await deliveredTo('/reminders', secret)).toEqual([
      changed(0, { action: 'created', by: 'user:1' }),
      changed(1, { action: 'scheduled', by: 'user:1', next_run_at: dueAt }),
      run(2, 'started'),
      {
        ...envelope,
        id: events[3]!.id,
        type: 'reminder.send',
        contact_id: contactId,
        channel: null,
        payload: {
          reminder_id: reminder.id,
          run_id: runId,
          outcome: 'queued',
          skip_reason: null,
          message_id: messageId,
        },
      },
      run(4, 'completed'),
      changed(5, { action: 'completed', by: 'engine' }),
    ]);
    const queued = await db
      .selectFrom('messages')
      .select(['contact_id', 'direction'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(queued).toEqual({ contact_id: contactId, direction: 'outbound' });
  });
});
