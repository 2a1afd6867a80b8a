import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import type { Channel } from '../../ingest/channels.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createApiToken } from '../auth/api-tokens.js';
import type { Permission } from '../auth/permissions.js';
import { deactivateMember } from '../auth/users.js';
import { registerApi } from '../register-api.js';
import { buildServer } from '../server.js';
import { createMember } from '../trpc/test-support.js';

const database = await createTestDatabase();
const { db } = database;
const simulator: Channel = {
  name: 'simulator',
  kind: 'simulator',
  phoneNumberId: '100000000000001',
  graphUrl: 'http://127.0.0.1:9',
  apiVersion: 'v23.0',
  accessToken: 'sim',
  appSecret: 'sim',
  verifyToken: 'sim',
  rateLimitPerSecond: 80,
  sendTimeoutMs: 1000,
  webhookPath: '/webhooks/simulator',
};
let app: FastifyInstance;
let localApp: FastifyInstance;
const admin = await createMember(db, 'admin');

async function server(allowLocalWebhooks: boolean) {
  return buildServer({
    config: { logLevel: 'silent' },
    database,
    routes: [
      (scope) =>
        registerApi(scope, {
          database,
          config: { publicUrl: undefined, allowLocalWebhooks },
          channels: [simulator],
        }),
    ],
  });
}
async function token(scopes: Permission[], actor = admin.actor) {
  return `Bearer ${(await createApiToken(db, actor, { name: 'test', scopes })).token}`;
}

beforeAll(async () => {
  app = await server(false);
  localApp = await server(true);
});
afterAll(async () => {
  await app.close();
  await localApp.close();
});

describe('REST API', () => {
  it('refuses unknown fields, at any depth, with the field and the reason', async () => {
    const auth = await token(['contacts.write', 'messages.send']);
    const contact = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: auth },
      payload: { wa_id: '27820000005', nmae: 'Thandi' },
    });
    expect(contact.statusCode).toBe(400);
    expect(contact.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'invalid body: nmae: unknown field',
        fields: [{ field: 'nmae', reason: 'unknown field' }],
      },
    });
    const message = await app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { authorization: auth },
      payload: { to: '27820000005', message: { type: 'text', body: 'hi', bdy: 'typo' } },
    });
    expect(message.statusCode).toBe(400);
    expect(message.json().error.fields).toEqual([{ field: 'message.bdy', reason: 'unknown field' }]);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: auth },
      payload: { wa_id: 'abc' },
    });
    expect(bad.json().error.fields).toEqual([
      { field: 'wa_id', reason: 'a WhatsApp id is the phone number in digits, with country code' },
    ]);
    // Nothing was created by the refused requests.
    expect(await db.selectFrom('contacts').select('id').execute()).toEqual([]);
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: await token(['contacts.write']), 'content-type': 'application/json' },
      payload: JSON.stringify({ wa_id: '27820000006', name: 'x'.repeat(70 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('masks personal data unless the token has pii.read, and checks scopes', async () => {
    const writer = await token(['contacts.write', 'contacts.read', 'pii.read']);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: writer },
      payload: { wa_id: '27821234512', name: 'Thandi Mokoena' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      channel: 'simulator',
      wa_id: '27821234512',
      name: 'Thandi Mokoena',
      masked: false,
    });
    const id = created.json().id as string;
    const event = await db
      .selectFrom('events')
      .select(['source', 'payload'])
      .where('type', '=', 'contact.created')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      source: 'api',
      payload: { wa_id: '27821234512', name: 'Thandi Mokoena', channel: 'simulator' },
    });

    const reader = await token(['contacts.read']);
    const masked = await app.inject({
      method: 'GET',
      url: `/v1/contacts/${id}`,
      headers: { authorization: reader },
    });
    expect(masked.json()).toMatchObject({ id, wa_id: '+27 *******12', name: 'T*** M***', masked: true });
    const found = await app.inject({
      method: 'GET',
      url: '/v1/contacts?wa_id=27821234512',
      headers: { authorization: reader },
    });
    expect(found.json().data.map((c: { id: string }) => c.id)).toEqual([id]);

    const forbidden = await app.inject({
      method: 'PATCH',
      url: `/v1/contacts/${id}`,
      headers: { authorization: reader },
      payload: { name: 'X' },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({
      error: {
        code: 'forbidden',
        message: 'this token lacks the contacts.write scope',
        fields: [{ field: 'scopes', reason: 'needs contacts.write' }],
      },
    });
    const missing = await app.inject({
      method: 'GET',
      url: '/v1/contacts/999999',
      headers: { authorization: reader },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('sends a message within the window, refuses one outside it, and reports its status', async () => {
    const auth = await token(['messages.send', 'messages.read']);
    const closed = await app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { authorization: auth },
      payload: { to: '27829990000', message: { type: 'text', body: 'hello' } },
    });
    expect(closed.statusCode).toBe(422);
    expect(closed.json().error.code).toBe('window_closed');

    const contact = await db
      .insertInto('contacts')
      .values({ channel: 'simulator', wa_id: '27829990001', last_inbound_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { authorization: auth },
      payload: {
        contact_id: contact.id,
        message: { type: 'buttons', body: 'Pick one', buttons: [{ id: 'a', title: 'A' }] },
      },
    });
    expect(sent.statusCode).toBe(202);
    const accepted = sent.json();
    expect(accepted).toEqual({
      id: expect.stringMatching(/^\d+$/),
      contact_id: contact.id,
      channel: 'simulator',
      status: 'queued',
    });
    const queued = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'message.queued')
      .executeTakeFirstOrThrow();
    expect(queued.payload).toMatchObject({
      message_id: accepted.id,
      message_type: 'interactive',
      attribution: { api_token_id: expect.any(String) },
    });

    await append(db, [
      {
        type: 'message.status',
        source: 'simulator',
        channel: 'simulator',
        contact_id: contact.id,
        payload: {
          message_id: accepted.id,
          external_id: 'wamid.x',
          status: 'delivered',
          timestamp: '2030-01-01T10:00:05.000Z',
        },
      },
      {
        type: 'message.status',
        source: 'simulator',
        channel: 'simulator',
        contact_id: contact.id,
        payload: {
          message_id: accepted.id,
          external_id: 'wamid.x',
          status: 'sent',
          timestamp: '2030-01-01T10:00:01.000Z',
        },
      },
    ]);
    const status = await app.inject({
      method: 'GET',
      url: `/v1/messages/${accepted.id}`,
      headers: { authorization: auth },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      id: accepted.id,
      direction: 'outbound',
      type: 'interactive',
      status: 'queued',
      timestamps: {
        sent: '2030-01-01T10:00:01.000Z',
        delivered: '2030-01-01T10:00:05.000Z',
        read: null,
        failed: null,
      },
    });
  });

  it('stores text with a NUL character (replaced by U+FFFD) instead of failing with 500', async () => {
    const auth = await token(['contacts.write', 'messages.send']);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: auth },
      payload: { wa_id: '27820000077', name: 'Nul\u0000Name' },
    });
    expect(created.statusCode).toBe(201);
    const contact = await db
      .updateTable('contacts')
      .set({ last_inbound_at: new Date() })
      .where('wa_id', '=', '27820000077')
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    expect(contact.name).toBe('Nul\uFFFDName');
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { authorization: auth },
      payload: { contact_id: contact.id, message: { type: 'text', body: 'a\u0000b' } },
    });
    expect(sent.statusCode).toBe(202);
    const queued = await db
      .selectFrom('outbox')
      .select('body')
      .where('message_id', '=', sent.json().id)
      .executeTakeFirstOrThrow();
    expect(queued.body).toMatchObject({ text: { body: 'a\uFFFDb' } });
  });

  it('refuses to send to a blocked person with 422 contact_blocked, queueing nothing', async () => {
    const auth = await token(['messages.send']);
    const contact = await db
      .insertInto('contacts')
      .values({ channel: 'simulator', wa_id: '27829990077', last_inbound_at: new Date(), blocked: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { authorization: auth },
      payload: { to: '27829990077', message: { type: 'template', name: 'welcome', language: 'en' } },
    });
    expect(response.statusCode).toBe(422);
    const reason = `contact ${contact.id} is blocked; unblock them before sending`;
    expect(response.json()).toEqual({
      error: { code: 'contact_blocked', message: reason, fields: [{ field: 'contact_id', reason }] },
    });
    const queued = await db
      .selectFrom('messages')
      .select('id')
      .where('contact_id', '=', contact.id)
      .execute();
    expect(queued).toEqual([]);
  });

  it('refuses webhook destinations on loopback or the metadata address unless local targets are allowed', async () => {
    const auth = await token(['webhooks.manage']);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:8080/',
    ]) {
      const refused = await app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { authorization: auth },
        payload: { url, event_types: ['message.received'] },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.fields).toEqual([
        { field: 'url', reason: expect.stringMatching(/^is not allowed: /) },
      ]);
    }
    const allowed = await localApp.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: auth },
      payload: { url: 'http://127.0.0.1:8080/hook', event_types: ['message.received'] },
    });
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json().secret).toMatch(/^whsec_/);
    const unknownType = await localApp.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: auth },
      payload: { url: 'http://127.0.0.1:8080/hook', event_types: ['message.recieved'] },
    });
    expect(unknownType.json().error.fields).toEqual([
      { field: 'event_types.0', reason: 'unknown event type message.recieved' },
    ]);
  });

  it("stops a deactivated member's tokens, and a revoked or unknown token, with 401", async () => {
    const member = await createMember(db, 'builder');
    const auth = await token(['contacts.read'], member.actor);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/channels', headers: { authorization: auth } })).statusCode,
    ).toBe(403);
    const reader = await token(['channels.read'], member.actor);
    const channels = await app.inject({
      method: 'GET',
      url: '/v1/channels',
      headers: { authorization: reader },
    });
    expect(
      channels.json().data.map((c: { name: string; configured: boolean }) => [c.name, c.configured]),
    ).toEqual([
      ['whatsapp', false],
      ['simulator', true],
    ]);
    await deactivateMember(db, admin.actor, member.userId);
    const after = await app.inject({
      method: 'GET',
      url: '/v1/channels',
      headers: { authorization: reader },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
    const unknown = await app.inject({
      method: 'GET',
      url: '/v1/channels',
      headers: { authorization: 'Bearer prl_nope' },
    });
    expect(unknown.statusCode).toBe(401);
  });
});
