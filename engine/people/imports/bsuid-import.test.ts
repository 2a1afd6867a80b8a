import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../../api/auth/api-tokens.js';
import { buildTestApiServer } from '../../../api/test-api-server.js';
import { createMember } from '../../../api/trpc/test-support.js';
import { eraseContact } from '../../../core/log/erase-contact.js';
import { resolvePerson } from '../../../core/people/resolve-person.js';
import type { Channel } from '../../../ingest/channels.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createImportWorker } from './import-worker.js';
import { previewImport } from './preview-import.js';

/**
 * Import files that name people by BSUID (Meta's business-scoped user id), with or without a
 * phone number: rows go through core/people's resolver like a webhook's sighting.
 */
const database = await createTestDatabase();
const { db } = database;
const channel = { name: 'whatsapp', kind: 'whatsapp' } as Channel;
const admin = await createMember(db, 'admin');
let app: FastifyInstance;
let auth: string;
let reader: string;

beforeAll(async () => {
  app = await buildTestApiServer(database, { channels: [channel] });
  const token = async (scopes: string[]) =>
    `Bearer ${(await createApiToken(db, admin.actor, { name: scopes.join(' '), scopes })).token}`;
  auth = await token(['contacts.write', 'contacts.read', 'pii.read']);
  reader = await token(['contacts.read']);
});
afterAll(() => app.close());

async function importFile(csv: string, mode: 'create' | 'update' | 'both' = 'both') {
  const uploaded = await app.inject({
    method: 'POST',
    url: '/v1/contacts/imports?file_name=people.csv',
    headers: { authorization: auth, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(uploaded.statusCode).toBe(201);
  const { id, suggestedMapping } = uploaded.json();
  const started = await app.inject({
    method: 'POST',
    url: `/v1/contacts/imports/${id}/start`,
    headers: { authorization: auth },
    payload: { mapping: suggestedMapping, mode, default_country: 'KE' },
  });
  expect(started.statusCode).toBe(202);
  const worker = createImportWorker({ db, chunkSize: 50, pollIntervalMs: 20 });
  await worker.start();
  for (let i = 0; i < 500; i++) {
    const row = await db
      .selectFrom('contact_imports')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (row.status === 'done' || row.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await worker.stop();
  const status = await app.inject({
    method: 'GET',
    url: `/v1/contacts/imports/${id}`,
    headers: { authorization: auth },
  });
  return { id: String(id), suggestedMapping, status: status.json() };
}

const get = (url: string, authorization = auth) =>
  app.inject({ method: 'GET', url, headers: { authorization } });

it('suggests bsuid and username columns, and previews a BSUID-only row as a creation', async () => {
  const uploaded = await app.inject({
    method: 'POST',
    url: '/v1/contacts/imports?file_name=people.csv',
    headers: { authorization: auth, 'content-type': 'text/csv' },
    payload:
      'BSUID,WhatsApp username,Phone,Name\nKE.1000000000000001,amina,,Amina\nKE.1000000000000001,amina,,Amina again\n',
  });
  const { id, suggestedMapping } = uploaded.json();
  expect(suggestedMapping).toEqual({
    BSUID: 'bsuid',
    'WhatsApp username': 'username',
    Phone: 'phone',
    Name: 'name',
  });
  const preview = await previewImport(db, id, {
    mapping: suggestedMapping,
    mode: 'both',
    defaultCountry: 'KE',
  });
  expect(preview).toEqual({
    rows: [
      {
        line: 2,
        values: { bsuid: 'KE.1000000000000001', username: 'amina', name: 'Amina' },
        error: null,
        action: 'create',
      },
      {
        line: 3,
        values: { bsuid: 'KE.1000000000000001', username: 'amina', name: 'Amina again' },
        error: 'duplicate BSUID "KE.1000000000000001": already on line 2',
        action: 'skip',
      },
    ],
    validRows: 1,
    invalidRows: 1,
  });
});

it('a BSUID-only row creates a person addressable by BSUID, with no phone number', async () => {
  const { status } = await importFile('bsuid,username,name\nKE.1000000000000002,baraka,Baraka\n');
  expect(status).toMatchObject({
    status: 'done',
    created_count: 1,
    updated_count: 0,
    skipped_count: 0,
    invalid_count: 0,
  });
  const found = await get('/v1/contacts?bsuid=KE.1000000000000002');
  expect(found.statusCode).toBe(200);
  expect(found.json().data).toHaveLength(1);
  expect(found.json().data[0]).toMatchObject({
    wa_id: null,
    bsuid: 'KE.1000000000000002',
    username: 'baraka',
    name: 'Baraka',
  });
  const contactId = String(found.json().data[0].id);
  const events = await db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .execute();
  expect(events).toEqual([
    {
      type: 'contact.created',
      payload: { bsuid: 'KE.1000000000000002', username: 'baraka', name: null, channel: 'whatsapp' },
    },
    {
      type: 'contact.updated',
      payload: { changes: { name: { from: null, to: 'Baraka' } }, by: expect.stringMatching(/^import:\d+$/) },
    },
  ]);
  // A webhook sighting of that BSUID later finds the same person.
  const sighting = await db.transaction().execute((tx) =>
    resolvePerson(tx, {
      channel: 'whatsapp',
      source: 'whatsapp',
      by: 'whatsapp',
      sighting: { bsuid: 'KE.1000000000000002', seenAt: new Date() },
    }),
  );
  expect(sighting).toEqual({ contactId, created: false });
});

it('a row with a BSUID of one person and the phone of another merges them into the older, as the resolver rules', async () => {
  // The older person is known by phone, the newer by BSUID (as two webhooks could have made them).
  const older = await importFile('phone,name\n+254700000003,Chep\n');
  expect(older.status.created_count).toBe(1);
  const newer = await importFile('bsuid,labels\nKE.1000000000000003,pilot\n');
  expect(newer.status.created_count).toBe(1);
  const ids = await db
    .selectFrom('contacts')
    .select(['id', 'wa_id', 'bsuid'])
    .where((eb) => eb.or([eb('wa_id', '=', '254700000003'), eb('bsuid', '=', 'KE.1000000000000003')]))
    .orderBy('id')
    .execute();
  expect(ids.map((r) => [r.wa_id, r.bsuid])).toEqual([
    ['254700000003', null],
    [null, 'KE.1000000000000003'],
  ]);
  const [survivor, merged] = [ids[0]!.id, ids[1]!.id];

  const both = await importFile('phone,bsuid,username,language\n+254700000003,KE.1000000000000003,chep,sw\n');
  expect(both.status).toMatchObject({
    status: 'done',
    created_count: 0,
    updated_count: 1,
    skipped_count: 0,
    invalid_count: 0,
  });
  const people = await db
    .selectFrom('contacts')
    .select(['id', 'wa_id', 'bsuid', 'username', 'name', 'language', 'labels', 'merged_into'])
    .where('id', 'in', [survivor, merged])
    .orderBy('id')
    .execute();
  expect(people).toEqual([
    {
      id: survivor,
      wa_id: '254700000003',
      bsuid: 'KE.1000000000000003',
      username: 'chep',
      name: 'Chep',
      language: 'sw',
      labels: ['pilot'],
      merged_into: null,
    },
    {
      id: merged,
      wa_id: null,
      bsuid: null,
      username: null,
      name: null,
      language: null,
      labels: ['pilot'],
      merged_into: survivor,
    },
  ]);
  const events = await db
    .selectFrom('events')
    .select(['type', 'contact_id', 'payload'])
    .where('source', '=', 'import')
    .where('contact_id', 'in', [survivor, merged])
    .where('type', '!=', 'contact.created')
    .where('id', '>', (eb) =>
      eb
        .selectFrom('events')
        .select((e) => e.fn.max('id').as('m'))
        .where('idempotency_key', '=', `import:${newer.id}:2`),
    )
    .orderBy('id')
    .execute();
  expect(events).toEqual([
    {
      type: 'contact.merged',
      contact_id: survivor,
      payload: { surviving_contact_id: survivor, merged_contact_id: merged, by: `import:${both.id}` },
    },
    {
      type: 'contact.identity_added',
      contact_id: survivor,
      payload: { kind: 'bsuid', value: 'KE.1000000000000003', by: `import:${both.id}` },
    },
    { type: 'contact.updated', contact_id: survivor, payload: expect.anything() },
    {
      type: 'contact.identity_added',
      contact_id: survivor,
      payload: { kind: 'username', value: 'chep', by: `import:${both.id}` },
    },
    {
      type: 'contact.updated',
      contact_id: survivor,
      payload: { changes: { language: { from: null, to: 'sw' } }, by: `import:${both.id}` },
    },
  ]);
});

it('a bad BSUID, an empty row and a BSUID named twice are row errors with the reason; other rows land', async () => {
  const { id, status } = await importFile(
    'bsuid,phone,name\n254.123,,Bad\nKE.1000000000000004,,Good\n,,Nobody\nKE.1000000000000004,,Again\n',
  );
  // One file describes each person once: the BSUID again on line 5 is refused, as a phone is.
  expect(status).toMatchObject({
    status: 'done',
    created_count: 1,
    updated_count: 0,
    skipped_count: 0,
    invalid_count: 3,
  });
  const errors = await get(`/v1/contacts/imports/${id}/errors`);
  expect(errors.json()).toEqual({
    data: [
      {
        line: 2,
        reason: 'bsuid: "254.123" is not a BSUID (a country code, a dot and digits)',
      },
      { line: 4, reason: 'phone and bsuid are empty: a row needs one' },
      { line: 5, reason: 'duplicate BSUID "KE.1000000000000004": already on line 3' },
    ],
  });
  const line5 = await get(`/v1/contacts/imports/${id}/errors?after_line=4`, reader);
  expect(line5.json()).toEqual({
    data: [{ line: 5, reason: 'duplicate BSUID "***": already on line 3' }],
  });
  // Without pii.read the refused value is masked, the field and the reason stay.
  const masked = await get(`/v1/contacts/imports/${id}/errors?limit=1`, reader);
  expect(masked.json()).toEqual({
    data: [
      {
        line: 2,
        reason: 'bsuid: "***" is not a BSUID (a country code, a dot and digits)',
      },
    ],
  });
});

it('refuses a start with neither a phone nor a bsuid column', async () => {
  const uploaded = await app.inject({
    method: 'POST',
    url: '/v1/contacts/imports?file_name=people.csv',
    headers: { authorization: auth, 'content-type': 'text/csv' },
    payload: 'username,name\nx,X\n',
  });
  const response = await app.inject({
    method: 'POST',
    url: `/v1/contacts/imports/${uploaded.json().id}/start`,
    headers: { authorization: auth },
    payload: { mapping: { username: 'username', name: 'name' }, mode: 'both', default_country: 'KE' },
  });
  expect(response.statusCode).toBe(400);
  expect(response.json().error.fields).toEqual([
    { field: 'mapping', reason: 'map one column to phone or bsuid: people are matched by BSUID, then phone' },
  ]);
});

it('erasing a person known only by BSUID blanks the import rows that named them', async () => {
  const { id } = await importFile('bsuid,name\nKE.1000000000000005,Dalia\nKE.1000000000000006,Esi\n');
  const person = await db
    .selectFrom('contacts')
    .select('id')
    .where('bsuid', '=', 'KE.1000000000000005')
    .executeTakeFirstOrThrow();
  await eraseContact(db, { contactId: person.id, by: 'system' });
  const rows = await db
    .selectFrom('contact_import_rows')
    .select(['line', 'cells'])
    .where('import_id', '=', id)
    .orderBy('line')
    .execute();
  expect(rows).toEqual([
    { line: 2, cells: [] },
    { line: 3, cells: ['KE.1000000000000006', 'Esi'] },
  ]);
});
