import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createApiToken } from '../../auth/api-tokens.js';
import type { Permission } from '../../auth/permissions.js';
import { createContact } from '../../services/contacts.js';
import { buildTestApiServer } from '../../test-api-server.js';
import { callerFor, createMember, testServices } from '../../trpc/test-support.js';

const database = await createTestDatabase();
const { db } = database;
const admin = await createMember(db, 'admin');
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApiServer(database);
});
afterAll(async () => {
  await app.close();
});

const token = async (scopes: Permission[]) =>
  `Bearer ${(await createApiToken(db, admin.actor, { name: 'test', scopes })).token}`;
const newContact = (waId: string) =>
  createContact(db, admin.actor, { channel: 'whatsapp', wa_id: waId, name: 'Thandi Mokoena' }, ['whatsapp']);
const auditsOf = (id: string) =>
  db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('contact_id', '=', id)
    .where('type', 'in', ['contact.erased', 'operator.action'])
    .orderBy('id')
    .execute();

describe('DELETE /v1/contacts/{id}', () => {
  it('erases with the contacts.erase scope, audits it, and answers already_erased the second time', async () => {
    const contact = await newContact('27821110001');
    const authorization = await token(['contacts.erase', 'contacts.read', 'pii.read']);
    const first = await app.inject({
      method: 'DELETE',
      url: `/v1/contacts/${contact.id}?reason=DPR-17`,
      headers: { authorization },
    });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toEqual({
      id: contact.id,
      status: 'erased',
      erased_at: expect.any(String),
      scrubbed_events: 1,
      cancelled_messages: 0,
    });
    const got = await app.inject({
      method: 'GET',
      url: `/v1/contacts/${contact.id}`,
      headers: { authorization },
    });
    expect(got.json()).toMatchObject({ wa_id: `erased:${contact.id}`, name: null });

    const again = await app.inject({
      method: 'DELETE',
      url: `/v1/contacts/${contact.id}`,
      headers: { authorization },
    });
    expect(again.json()).toEqual({ ...body, status: 'already_erased', scrubbed_events: 0 });
    const audits = await auditsOf(contact.id);
    expect(
      audits.map((a) => [a.type, (a.payload as { action?: string; details?: unknown }).details]),
    ).toEqual([
      ['contact.erased', undefined],
      ['operator.action', { reason: 'DPR-17', scrubbed_events: 1, cancelled_messages: 0 }],
    ]);
  });

  it("drops the stored answers of webhook deliveries of the person's events, not of others'", async () => {
    const [person, other] = [await newContact('27821110005'), await newContact('27821110006')];
    const subscription = await db
      .insertInto('webhook_subscriptions')
      .values({ url: 'https://crm.example.org/hook', event_types: ['contact.created'], secret: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const attemptFor = async (contactId: string, excerpt: string) => {
      const event = await db
        .selectFrom('events')
        .select(['id', 'type'])
        .where('contact_id', '=', contactId)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const delivery = await db
        .insertInto('webhook_deliveries')
        .values({
          subscription_id: subscription.id,
          event_id: event.id,
          event_type: event.type,
          state: 'failed',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return db
        .insertInto('webhook_delivery_attempts')
        .values({
          delivery_id: delivery.id,
          attempt: 1,
          started_at: new Date(),
          status_code: 422,
          latency_ms: 12,
          response_excerpt: excerpt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    };
    const mine = await attemptFor(person.id, '{"error":"unknown number 27821110005 (Thandi Mokoena)"}');
    const theirs = await attemptFor(other.id, '{"error":"unknown number 27821110006"}');
    const response = await app.inject({
      method: 'DELETE',
      url: `/v1/contacts/${person.id}`,
      headers: { authorization: await token(['contacts.erase']) },
    });
    expect(response.statusCode).toBe(200);
    const attempts = await db
      .selectFrom('webhook_delivery_attempts')
      .select(['id', 'status_code', 'response_excerpt'])
      .where('id', 'in', [mine.id, theirs.id])
      .orderBy('id')
      .execute();
    expect(attempts).toEqual([
      { id: mine.id, status_code: 422, response_excerpt: null },
      { id: theirs.id, status_code: 422, response_excerpt: '{"error":"unknown number 27821110006"}' },
    ]);
  });

  it('refuses a token without contacts.erase (contacts.write is not enough) and answers 404 for no one', async () => {
    const contact = await newContact('27821110002');
    const writer = await token(['contacts.write', 'contacts.read', 'pii.read']);
    const refused = await app.inject({
      method: 'DELETE',
      url: `/v1/contacts/${contact.id}`,
      headers: { authorization: writer },
    });
    expect(refused.statusCode).toBe(403);
    expect(await auditsOf(contact.id)).toEqual([]);
    const missing = await app.inject({
      method: 'DELETE',
      url: '/v1/contacts/987654',
      headers: { authorization: await token(['contacts.erase']) },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'not_found', message: 'no contact 987654' });
  });
});

describe('tRPC people.erase', () => {
  it('lets an Admin erase, not an Operator', async () => {
    const contact = await newContact('27821110003');
    const services = testServices(db);
    const operator = await createMember(db, 'operator');
    await expect(
      callerFor(services, operator.actor).caller.people.erase({ id: contact.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const result = await callerFor(services, admin.actor).caller.people.erase({
      id: contact.id,
      reason: 'asked by phone',
    });
    expect(result).toMatchObject({ id: contact.id, status: 'erased', scrubbed_events: 1 });
    const audits = await auditsOf(contact.id);
    expect(audits.at(-1)?.payload).toEqual({
      actor: { kind: 'user', id: admin.userId, email: admin.email },
      action: 'contact.erase',
      target: { kind: 'contact', id: contact.id },
      details: { reason: 'asked by phone', scrubbed_events: 1, cancelled_messages: 0 },
    });
  });
});
