import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../ingest/channels.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createApiToken } from '../../auth/api-tokens.js';
import type { Permission } from '../../auth/permissions.js';
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
let app: FastifyInstance;
const admin = await createMember(db, 'admin');
const token = async (scopes: Permission[]) =>
  `Bearer ${(await createApiToken(db, admin.actor, { name: 'test', scopes })).token}`;

beforeAll(async () => {
  app = await buildTestApiServer(database, { channels: [simulator] });
});
afterAll(async () => {
  await app.close();
});

describe('REST contacts: the whole person', () => {
  it('PATCH takes labels, custom fields and the profile; GET shows them, masked by permission', async () => {
    const writer = await token(['contacts.write', 'contacts.read', 'pii.read', 'settings.manage']);
    const field = await app.inject({
      method: 'POST',
      url: '/v1/custom-fields',
      headers: { authorization: writer },
      payload: { key: 'district', name: 'District', type: 'text' },
    });
    expect(field.statusCode, field.body).toBe(201);
    await app.inject({
      method: 'POST',
      url: '/v1/custom-fields',
      headers: { authorization: writer },
      payload: { key: 'due_date', name: 'Due date', type: 'date' },
    });
    const created = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: writer },
      payload: { wa_id: '27820000009', name: 'Thandi Mokoena' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/contacts/${id}`,
      headers: { authorization: writer },
      payload: {
        labels: ['pregnant', ' north ', 'pregnant'],
        custom_fields: { district: 'Umlazi', due_date: '2027-03-01' },
        language: 'zu',
        opt_in: 'opted_in',
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const person = patched.json();
    expect(person).toMatchObject({
      id,
      channel: 'simulator',
      wa_id: '27820000009',
      name: 'Thandi Mokoena',
      masked: false,
      language: 'zu',
      timezone: null,
      opt_in: 'opted_in',
      blocked: false,
      labels: ['north', 'pregnant'],
      custom_fields: { district: 'Umlazi', due_date: '2027-03-01' },
      erased_at: null,
    });

    const reader = await token(['contacts.read']);
    const seen = await app.inject({
      method: 'GET',
      url: `/v1/contacts/${id}`,
      headers: { authorization: reader },
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({
      wa_id: '+27 *******09',
      name: 'T*** M***',
      masked: true,
      labels: ['north', 'pregnant'],
      custom_fields: { district: 'Umlazi', due_date: '2027-03-01' },
      opt_in: 'opted_in',
    });
    const listed = await app.inject({
      method: 'GET',
      url: '/v1/contacts?wa_id=27820000009',
      headers: { authorization: reader },
    });
    expect(listed.json().data).toEqual([seen.json()]);

    const events = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'contact.updated')
      .where('contact_id', '=', id)
      .execute();
    expect(events).toHaveLength(1);
    expect((events[0]!.payload as { changes: object }).changes).toEqual({
      labels: { from: [], to: ['north', 'pregnant'] },
      district: { from: null, to: 'Umlazi' },
      due_date: { from: null, to: '2027-03-01' },
      language: { from: null, to: 'zu' },
      opt_in: { from: 'unknown', to: 'opted_in' },
    });
  });

  it('refuses bad values with one error per field, and changes nothing', async () => {
    const writer = await token(['contacts.write', 'contacts.read', 'pii.read']);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: writer },
      payload: { wa_id: '27820000010' },
    });
    const id = created.json().id as string;
    const bad = await app.inject({
      method: 'PATCH',
      url: `/v1/contacts/${id}`,
      headers: { authorization: writer },
      payload: { labels: ['ok', 'x'.repeat(101)], opt_in: 'maybe', custom_fields: { nope: 1 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([
      { field: 'opt_in', reason: 'Invalid option: expected one of "unknown"|"opted_in"|"opted_out"' },
      { field: 'labels.1', reason: 'Too big: expected string to have <=100 characters' },
    ]);
    const unknownField = await app.inject({
      method: 'PATCH',
      url: `/v1/contacts/${id}`,
      headers: { authorization: writer },
      payload: { labels: ['ok'], custom_fields: { nope: 1, due: 'x' } },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.fields).toEqual([
      { field: 'custom_fields.nope', reason: 'no custom field with key nope' },
      { field: 'custom_fields.due', reason: 'no custom field with key due' },
    ]);
    const after = await app.inject({
      method: 'GET',
      url: `/v1/contacts/${id}`,
      headers: { authorization: writer },
    });
    expect(after.json()).toMatchObject({ labels: [], custom_fields: {}, opt_in: 'unknown' });
  });
});
