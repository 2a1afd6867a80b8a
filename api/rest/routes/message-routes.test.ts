import { afterAll, describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import type { Channel } from '../../../ingest/channels.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createApiToken } from '../../auth/api-tokens.js';
import { buildTestApiServer } from '../../test-api-server.js';
import { createMember } from '../../trpc/test-support.js';

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
const app = await buildTestApiServer(database, { channels: [simulator] });
afterAll(() => app.close());
const admin = await createMember(db, 'admin');
const auth = `Bearer ${(await createApiToken(db, admin.actor, { name: 'sender', scopes: ['messages.send', 'messages.read'] })).token}`;

async function openContact(waId: string) {
  const row = await db
    .insertInto('contacts')
    .values({ channel: 'simulator', wa_id: waId, last_inbound_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function send(contactId: string, text: string, key?: string) {
  return app.inject({
    method: 'POST',
    url: '/v1/messages',
    headers: { authorization: auth, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { contact_id: contactId, message: { type: 'text', body: text } },
  });
}

async function messagesOf(contactId: string) {
  return db.selectFrom('messages').select('id').where('contact_id', '=', contactId).execute();
}

describe('POST /v1/messages with an Idempotency-Key', () => {
  it('sends once for a retried request and answers the retry with the first answer', async () => {
    const contactId = await openContact('27831110001');
    const first = await send(contactId, 'Your code is 1234', 'retry-1');
    const retry = await send(contactId, 'Your code is 1234', 'retry-1');
    expect(first.statusCode).toBe(202);
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual(first.json());
    expect(await messagesOf(contactId)).toEqual([{ id: first.json().id }]);
    const outbox = await db
      .selectFrom('outbox')
      .select('id')
      .where('message_id', '=', first.json().id)
      .execute();
    expect(outbox).toHaveLength(1);
  });

  it('sends once when the retries race each other', async () => {
    const contactId = await openContact('27831110002');
    const answers = await Promise.all([1, 2, 3, 4].map(() => send(contactId, 'Racing', 'race-1')));
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 202]);
    const ids = new Set(answers.map((a) => a.json().id));
    expect(ids.size).toBe(1);
    expect(await messagesOf(contactId)).toHaveLength(1);
  });

  it('refuses the same key with a different body, and sends nothing for it', async () => {
    const contactId = await openContact('27831110003');
    await send(contactId, 'First', 'key-reused');
    const other = await send(contactId, 'Second', 'key-reused');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toEqual({
      error: {
        code: 'idempotency_key_reused',
        message:
          'This Idempotency-Key was already used with a different request; use a new key for a new request.',
        fields: [{ field: 'Idempotency-Key', reason: 'already used with a different request' }],
      },
    });
    expect(await messagesOf(contactId)).toHaveLength(1);
  });

  it('sends every request without a key, and refuses a malformed key', async () => {
    const contactId = await openContact('27831110004');
    await send(contactId, 'Same text');
    await send(contactId, 'Same text');
    expect(await messagesOf(contactId)).toHaveLength(2);
    const bad = await send(contactId, 'Same text', 'x'.repeat(256));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([
      { field: 'Idempotency-Key', reason: 'must be 1 to 255 visible ASCII characters' },
    ]);
    expect(await messagesOf(contactId)).toHaveLength(2);
  });

  it('runs a retry of a refused request again (nothing was stored for it)', async () => {
    const contactId = await openContact('27831110005');
    await db.updateTable('contacts').set({ last_inbound_at: null }).where('id', '=', contactId).execute();
    const closed = await send(contactId, 'Hello', 'after-window');
    expect(closed.statusCode).toBe(422);
    expect(closed.json().error.code).toBe('window_closed');
    await db
      .updateTable('contacts')
      .set({ last_inbound_at: new Date() })
      .where('id', '=', contactId)
      .execute();
    const retry = await send(contactId, 'Hello', 'after-window');
    expect(retry.statusCode).toBe(202);
    expect(await messagesOf(contactId)).toHaveLength(1);
  });
});

describe('GET /v1/messages/{id}', () => {
  it("shows each status no earlier than the one before, though Meta's whole seconds come before our queue time", async () => {
    const contactId = await openContact('27831110006');
    const { id } = (await send(contactId, 'Ordered')).json();
    await db
      .updateTable('messages')
      .set({ created_at: new Date('2030-01-01T10:00:00.700Z') })
      .where('id', '=', id)
      .execute();
    const status = (status: string, timestamp: string) => ({
      type: 'message.status' as const,
      source: 'simulator',
      channel: 'simulator',
      contact_id: contactId,
      payload: { message_id: id, external_id: 'wamid.o', status, timestamp },
    });
    await append(db, [
      status('delivered', '2030-01-01T10:00:00.000Z'),
      status('sent', '2030-01-01T10:00:00.000Z'),
      status('read', '2030-01-01T10:00:03.000Z'),
    ]);
    const answer = await app.inject({
      method: 'GET',
      url: `/v1/messages/${id}`,
      headers: { authorization: auth },
    });
    expect(answer.json().timestamps).toEqual({
      queued: '2030-01-01T10:00:00.700Z',
      sent: '2030-01-01T10:00:00.700Z',
      delivered: '2030-01-01T10:00:00.700Z',
      read: '2030-01-01T10:00:03.000Z',
      failed: null,
    });
  });
});
