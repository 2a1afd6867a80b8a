import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/api-tokens.js';
import { registerApi } from '../../api/register-api.js';
import { buildServer } from '../../api/server.js';
import { accountOf } from '../../api/templates/template-account.js';
import { callerFor, createMember, testServices } from '../../api/trpc/test-support.js';
import type { Channel } from '../../ingest/channels.js';
import { FAKE_WABA_ID, startFakeGraphApi } from '../../ingest/fake-graph-api/fake-graph-api.js';
import { createSender } from '../../ingest/whatsapp/sender.js';
import { registerWhatsAppWebhook } from '../../ingest/whatsapp/webhook-route.js';
import { createTestDatabase } from '../setup/test-database.js';

// Template lifecycle end to end: REST -> Graph API (the fake, real HTTP) -> Meta's signed
// status webhook -> the webhook route -> REST and tRPC; then a send through the sender.
const database = await createTestDatabase();
const { db } = database;
const fake = await startFakeGraphApi({ appSecret: 'tpl-secret', accessToken: 'tpl-token', statusDelayMs: 5 });
const channel: Channel = {
  name: 'simulator',
  kind: 'simulator',
  phoneNumberId: '100000000000001',
  graphUrl: fake.url,
  apiVersion: 'v23.0',
  accessToken: 'tpl-token',
  appSecret: 'tpl-secret',
  verifyToken: 'tpl-verify',
  rateLimitPerSecond: 80,
  sendTimeoutMs: 2000,
  webhookPath: '/webhooks/simulator',
};
const account = accountOf(channel, FAKE_WABA_ID);
const app: FastifyInstance = await buildServer({
  config: { logLevel: 'silent' },
  database,
  routes: [
    (scope) => registerWhatsAppWebhook(scope, { db, channel }),
    (scope) =>
      registerApi(scope, {
        database,
        config: { publicUrl: undefined, allowLocalWebhooks: false },
        channels: [channel],
        templateAccount: account,
      }),
  ],
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address() as { port: number };
fake.setWebhookUrl(`http://127.0.0.1:${address.port}/webhooks/simulator`);
const admin = await createMember(db, 'admin');
const auth = `Bearer ${(await createApiToken(db, admin.actor, { name: 't', scopes: ['reminders.read', 'reminders.write', 'messages.send'] })).token}`;
afterAll(async () => {
  await fake.stop();
  // The fake's webhook posts keep their connections alive; they must not hold the close open.
  const closing = app.close();
  app.server.closeAllConnections();
  await closing;
}, 20_000);

const valid = {
  name: 'clinic_reminder',
  language: 'en',
  category: 'UTILITY',
  components: [
    {
      type: 'BODY',
      text: 'Hello {{1}}, your visit is on {{2}}.',
      example: { body_text: [['Thandi', '5 May']] },
    },
    { type: 'FOOTER', text: 'Reply STOP to stop' },
  ],
};
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: { authorization: auth }, ...(payload !== undefined && { payload }) });
const templateRequests = () => fake.requests.filter((r) => r.path.includes('message_templates'));

describe('templates through the Graph API and Meta webhooks', () => {
  it('an invalid template is refused before submission, with field errors', async () => {
    const response = await call('POST', '/v1/templates', {
      ...valid,
      name: 'Clinic Reminder',
      components: [{ type: 'BODY', text: '{{1}} is due', example: { body_text: [['Rent']] } }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.fields).toEqual([
      { field: 'name', reason: 'only lowercase letters, digits and underscores' },
      {
        field: 'components[0].text',
        reason: 'Meta refuses a body that starts or ends with a variable: add text before and after',
      },
    ]);
    expect(templateRequests()).toEqual([]);
  });

  let id = '';
  let metaId = '';
  it('a valid template is submitted to Meta and stored PENDING with template.created', async () => {
    const response = await call('POST', '/v1/templates', valid);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    id = body.id;
    metaId = body.meta_template_id;
    expect(body).toMatchObject({ name: 'clinic_reminder', status: 'PENDING', status_reason: null });
    expect(fake.templates.get(metaId)).toMatchObject({
      name: 'clinic_reminder',
      language: 'en',
      status: 'PENDING',
    });
    const events = await db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('type', 'like', 'template.%')
      .execute();
    expect(events).toEqual([
      {
        type: 'template.created',
        payload: expect.objectContaining({ template_id: id, meta_template_id: metaId, status: 'PENDING' }),
      },
    ]);
    // Meta's own duplicate check answers too: mapped to 409 with the field.
    await db.updateTable('templates').set({ deleted_at: new Date() }).where('id', '=', id).execute();
    const again = await call('POST', '/v1/templates', valid);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0].field).toBe('name');
    await db.updateTable('templates').set({ deleted_at: null }).where('id', '=', id).execute();
  });

  it('a rejected template shows its reason via REST and tRPC, from the signed webhook', async () => {
    const delivery = await fake.setTemplateStatus(metaId, 'REJECTED', {
      reason: 'INVALID_FORMAT',
      detail: { rejection_info: { reason: 'Variables are too close together', recommendation: 'Add words' } },
    });
    expect(delivery?.status).toBe(200);
    const rest = (await call('GET', `/v1/templates/${id}`)).json();
    expect(rest).toMatchObject({
      status: 'REJECTED',
      status_reason: 'INVALID_FORMAT',
      status_detail: {
        rejection_info: { reason: 'Variables are too close together', recommendation: 'Add words' },
      },
    });
    const { caller } = callerFor(testServices(db, { templateAccount: account }), admin.actor);
    const viaTrpc = await caller.templates.get({ id });
    expect([viaTrpc.status, viaTrpc.statusReason]).toEqual(['REJECTED', 'INVALID_FORMAT']);
    const event = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'template.status_changed')
      .executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({
      template_id: id,
      event: 'REJECTED',
      previous_status: 'PENDING',
      reason: 'INVALID_FORMAT',
    });
    const send = await call('POST', `/v1/templates/${id}/send`, { wa_id: '27820000077', values: {} });
    expect(send.statusCode).toBe(409);
  });

  it('an approved template is sent to one person and reaches the fake Graph API', async () => {
    expect((await fake.setTemplateStatus(metaId, 'APPROVED'))?.status).toBe(200);
    const missing = await call('POST', `/v1/templates/${id}/send`, {
      wa_id: '27820000077',
      values: { body: { '1': 'Thandi' } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([
      { field: 'values.body.2', reason: 'give a value for {{2}}' },
    ]);
    const sent = await call('POST', `/v1/templates/${id}/send`, {
      wa_id: '27820000077',
      values: { body: { '1': 'Thandi', '2': '5 May' } },
    });
    expect(sent.statusCode).toBe(202);
    const sender = createSender({ db, channels: [channel], pollIntervalMs: 50 });
    await sender.start();
    try {
      await expect
        .poll(() => fake.requests.filter((r) => r.path.endsWith('/messages')).length, { timeout: 10_000 })
        .toBe(1);
    } finally {
      await sender.stop();
    }
    const request = fake.requests.find((r) => r.path.endsWith('/messages'))!;
    expect(request.body).toMatchObject({
      to: '27820000077',
      type: 'template',
      template: {
        name: 'clinic_reminder',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Thandi' },
              { type: 'text', text: '5 May' },
            ],
          },
        ],
      },
    });
  });

  it('preview renders the template with its samples or given values', async () => {
    const { caller } = callerFor(testServices(db, { templateAccount: account }), admin.actor);
    expect(await caller.templates.preview({ id, values: { body: { '1': 'Sipho' } } })).toEqual({
      header: null,
      body: 'Hello Sipho, your visit is on 5 May.',
      footer: 'Reply STOP to stop',
      buttons: [],
      missing: [],
    });
  });

  it('edit goes back to review; delete removes it at Meta and appends template.deleted', async () => {
    const edited = await call('PATCH', `/v1/templates/${id}`, {
      components: [
        { type: 'BODY', text: 'Hi {{1}}, see you on {{2}}.', example: { body_text: [['A', 'B']] } },
      ],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'PENDING', status_reason: null });
    expect(fake.templates.get(metaId)?.status).toBe('PENDING');
    const deleted = await call('DELETE', `/v1/templates/${id}`);
    expect(deleted.statusCode).toBe(204);
    expect(fake.templates.has(metaId)).toBe(false);
    expect((await call('GET', `/v1/templates/${id}`)).statusCode).toBe(404);
    const types = await db
      .selectFrom('events')
      .select('type')
      .where('type', 'like', 'template.%')
      .orderBy('id')
      .execute();
    expect(types.map((t) => t.type)).toEqual([
      'template.created',
      'template.status_changed',
      'template.status_changed',
      'template.updated',
      'template.deleted',
    ]);
  });
});
