import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createApiToken } from '../../auth/api-tokens.js';
import type { Permission } from '../../auth/permissions.js';
import { callerFor, createMember, testServices } from '../../trpc/test-support.js';
import { createContact } from '../data/contacts.js';
import { buildTestApiServer } from '../test-api-server.js';

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
