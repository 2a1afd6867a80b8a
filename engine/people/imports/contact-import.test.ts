import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../api/auth/api-tokens.js';
import { buildTestApiServer } from '../../../api/test-api-server.js';
import { createMember } from '../../../api/trpc/test-support.js';
import type { Channel } from '../../../ingest/channels.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createCustomField } from '../custom-fields.js';
import { createImportWorker } from './import-worker.js';
import { previewImport } from './preview-import.js';

const database = await createTestDatabase();
const { db } = database;
const channel = { name: 'whatsapp', kind: 'whatsapp' } as Channel;
const admin = await createMember(db, 'admin');
const system = { kind: 'system' as const, id: 'test' };
await createCustomField(db, system, {
  key: 'district',
  name: 'District',
  type: 'choice',
  options: [
    { key: 'north', label: 'North' },
    { key: 'south', label: 'South' },
  ],
});
await createCustomField(db, system, { key: 'age', name: 'Age', type: 'number' });
await createCustomField(db, system, { key: 'due_date', name: 'Due date', type: 'date' });
let app: FastifyInstance;
let auth: string;

beforeAll(async () => {
  app = await buildTestApiServer(database, {
    channels: [channel],
  });
  auth = `Bearer ${(await createApiToken(db, admin.actor, { name: 'import', scopes: ['contacts.write', 'contacts.read', 'pii.read'] })).token}`;
});
afterAll(() => app.close());

function upload(body: string | Buffer, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/v1/contacts/imports?file_name=people.csv',
    headers: { authorization: auth, 'content-type': 'text/csv', ...headers },
    payload: body,
  });
}

async function runToEnd(id: string) {
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
}

describe('CSV import with 5% bad rows', () => {
  it('lands every good row and reports every bad one by line, with the reason', async () => {
    // 200 rows (lines 2..201); every 20th row is bad in one of five ways.
    const lines = ['Phone Number,Full Name,district,AGE,due_date,labels'];
    const bad: { line: number; reason: string }[] = [];
    for (let i = 1; i <= 200; i++) {
      const line = i + 1;
      const phone = `0821${String(i).padStart(6, '0')}`;
      let row = `${phone},Person ${i},${i % 2 ? 'North' : 'south'},${20 + (i % 50)},2026-0${(i % 9) + 1}-15,pilot;  wave 1 `;
      if (i % 20 === 0) {
        const kind = (i / 20) % 5;
        if (kind === 1) {
          row = `12345,Person ${i},north,30,2026-01-01,`;
          bad.push({ line, reason: 'invalid phone number "12345" (read with default country ZA)' });
        } else if (kind === 2) {
          row = `${phone},Person ${i},east,30,2026-01-01,`;
          bad.push({ line, reason: 'district: unknown choice "east" (options: north, south)' });
        } else if (kind === 3) {
          row = `${phone},Person ${i},north,thirty,2026-01-01,`;
          bad.push({ line, reason: 'age: "thirty" is not a number' });
        } else if (kind === 4) {
          row = `${phone},Person ${i},north,30,2026-02-30,`;
          bad.push({ line, reason: 'due_date: "2026-02-30" must be a date written YYYY-MM-DD' });
        } else {
          row = `+27 82 100 0001,Person ${i},north,30,2026-01-01,`;
          bad.push({ line, reason: 'duplicate phone +27821000001: already on line 2' });
        }
      }
      lines.push(row);
    }
    const uploaded = await upload(`\uFEFF${lines.join('\r\n')}\r\n`);
    expect(uploaded.statusCode).toBe(201);
    const { id, ...rest } = uploaded.json();
    expect(rest).toEqual({
      status: 'uploaded',
      headers: ['Phone Number', 'Full Name', 'district', 'AGE', 'due_date', 'labels'],
      rows: 200,
      suggestedMapping: {
        'Phone Number': 'phone',
        'Full Name': 'name',
        district: 'district',
        AGE: 'age',
        due_date: 'due_date',
        labels: 'labels',
      },
    });
    const settings = { mapping: rest.suggestedMapping, mode: 'both' as const, defaultCountry: 'ZA' };
    const preview = await previewImport(db, id, settings);
    expect([preview.validRows, preview.invalidRows]).toEqual([190, 10]);
    expect(preview.rows[0]).toEqual({
      line: 2,
      values: {
        phone: '+27821000001',
        name: 'Person 1',
        district: 'north',
        age: 21,
        due_date: '2026-02-15',
        labels: ['pilot', 'wave 1'],
      },
      error: null,
      action: 'create',
    });
    expect(preview.rows[19]).toMatchObject({
      line: 21,
      error: 'invalid phone number "12345" (read with default country ZA)',
      action: 'skip',
    });

    const started = await app.inject({
      method: 'POST',
      url: `/v1/contacts/imports/${id}/start`,
      headers: { authorization: auth },
      payload: { mapping: settings.mapping, mode: 'both', default_country: 'ZA' },
    });
    expect(started.statusCode).toBe(202);
    expect(started.json().status).toBe('queued');
    await runToEnd(id);

    const status = await app.inject({
      method: 'GET',
      url: `/v1/contacts/imports/${id}`,
      headers: { authorization: auth },
    });
    expect(status.json()).toMatchObject({
      status: 'done',
      total_rows: 200,
      processed_rows: 200,
      created_count: 190,
      updated_count: 0,
      skipped_count: 0,
      invalid_count: 10,
      error: null,
    });
    const errors = await app.inject({
      method: 'GET',
      url: `/v1/contacts/imports/${id}/errors`,
      headers: { authorization: auth },
    });
    expect(errors.json()).toEqual({ data: bad });
    // Without pii.read the reasons keep their line and cause, not the refused values.
    const reader = `Bearer ${(await createApiToken(db, admin.actor, { name: 'reader', scopes: ['contacts.read'] })).token}`;
    const masked = await app.inject({
      method: 'GET',
      url: `/v1/contacts/imports/${id}/errors?limit=5`,
      headers: { authorization: reader },
    });
    expect(masked.json()).toEqual({
      data: [
        { line: 21, reason: 'invalid phone number "***" (read with default country ZA)' },
        { line: 41, reason: 'district: unknown choice "***" (options: north, south)' },
        { line: 61, reason: 'age: "***" is not a number' },
        { line: 81, reason: 'due_date: "***" must be a date written YYYY-MM-DD' },
        { line: 101, reason: 'duplicate phone +27 *******01: already on line 2' },
      ],
    });

    const people = await db
      .selectFrom('contacts')
      .select(['wa_id', 'name', 'labels', 'fields'])
      .orderBy('wa_id')
      .execute();
    expect(people).toHaveLength(190);
    expect(people[0]).toEqual({
      wa_id: '27821000001',
      name: 'Person 1',
      labels: ['pilot', 'wave 1'],
      fields: { district: 'north', age: 21, due_date: '2026-02-15' },
    });
    const goodPhones = lines
      .slice(1)
      .map((l, i) => ({ l, line: i + 2 }))
      .filter(({ line }) => !bad.some((b) => b.line === line))
      .map(({ l }) => `27${l.split(',')[0]!.slice(1)}`)
      .sort();
    expect(people.map((p) => p.wa_id)).toEqual(goodPhones);
    const events = await db
      .selectFrom('events')
      .select((eb) => ['type', eb.fn.countAll<string>().as('n')])
      .where('source', '=', 'import')
      .groupBy('type')
      .orderBy('type')
      .execute();
    expect(events).toEqual([
      { type: 'contact.created', n: '190' },
      { type: 'contact.updated', n: '190' },
    ]);
  });

  it('stores a cell with NUL as U+FFFD, like every other stored text', async () => {
    const uploaded = await upload('phone,name\n0829990001,Nul\u0000Name\n');
    expect(uploaded.json()).toMatchObject({ rows: 1 });
    expect(uploaded.statusCode).toBe(201);
    const { id, suggestedMapping } = uploaded.json();
    const started = await app.inject({
      method: 'POST',
      url: `/v1/contacts/imports/${id}/start`,
      headers: { authorization: auth },
      payload: { mapping: suggestedMapping, mode: 'both', default_country: 'ZA' },
    });
    expect(started.statusCode).toBe(202);
    await runToEnd(id);
    const person = await db
      .selectFrom('contacts')
      .select('name')
      .where('wa_id', '=', '27829990001')
      .executeTakeFirstOrThrow();
    expect(person.name).toBe('Nul\uFFFDName');
  });

  it('updates existing people in update mode and skips unknown phones', async () => {
    const csv = 'phone,age,labels\n+27821000001,99,vip\n+27829999999,40,\n+27821000003,23,pilot\n';
    const { id } = (await upload(csv)).json();
    const started = await app.inject({
      method: 'POST',
      url: `/v1/contacts/imports/${id}/start`,
      headers: { authorization: auth },
      payload: {
        mapping: { phone: 'phone', age: 'age', labels: 'labels' },
        mode: 'update',
        default_country: 'ZA',
      },
    });
    expect(started.statusCode).toBe(202);
    await runToEnd(id);
    const status = (
      await app.inject({ method: 'GET', url: `/v1/contacts/imports/${id}`, headers: { authorization: auth } })
    ).json();
    expect(status).toMatchObject({
      status: 'done',
      created_count: 0,
      updated_count: 1,
      skipped_count: 2,
      invalid_count: 0,
    });
    const updated = await db
      .selectFrom('events')
      .select('payload')
      .where('idempotency_key', '=', `import:${id}:2`)
      .executeTakeFirstOrThrow();
    expect(updated.payload).toEqual({
      by: `import:${id}`,
      changes: {
        age: { from: 21, to: 99 },
        labels: { from: ['pilot', 'wave 1'], to: ['pilot', 'vip', 'wave 1'] },
      },
    });
  });
});

describe('file problems get clear messages', () => {
  it.each([
    ['an empty file', '', 'the file is empty: it needs a header row (e.g. phone,name) and at least one row'],
    [
      'no header row',
      '27821234567,Thandi\n27821234568,Sipho\n',
      'the first line looks like data ("27821234567"), not a header row: add a header row naming the columns (e.g. phone,name)',
    ],
    ['a header only', 'phone,name\n', 'the file has a header row but no rows'],
    [
      'an empty header',
      ',,\n1,2,3\n',
      'the first line must be a header row naming the columns (e.g. phone,name)',
    ],
    ['a repeated column', 'phone,Phone\n1,2\n', 'the header row names the column "Phone" twice'],
    [
      'Latin-1 bytes',
      Buffer.concat([Buffer.from('phone,name\n27821234567,Ren'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'the file is not UTF-8 text (the first character that is not is on line 2); save it as "CSV UTF-8" and upload it again',
    ],
  ])('%s', async (_, body, message) => {
    const response = await upload(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'validation_failed', message, fields: [{ field: 'file', reason: message }] },
    });
  });

  it('refuses a file over 50 MB with 413 naming the limit', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 10, 0x31);
    const response = await upload(big);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toEqual({
      code: 'payload_too_large',
      message: 'the file is 50.0 MB; the limit is 50 MB: split it into smaller files',
      fields: [{ field: 'file', reason: 'at most 52428800 bytes' }],
    });
  });

  it('refuses a start without a phone column or with unknown fields', async () => {
    const { id } = (await upload('phone,name\n27821234567,Thandi\n')).json();
    const response = await app.inject({
      method: 'POST',
      url: `/v1/contacts/imports/${id}/start`,
      headers: { authorization: auth },
      payload: {
        mapping: { phone: null, name: 'name', nope: 'shoe_size' },
        mode: 'both',
        default_country: 'ZA',
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([
      { field: 'mapping.nope', reason: 'the file has no column "nope"' },
      { field: 'mapping.nope', reason: 'no field with key shoe_size' },
      {
        field: 'mapping',
        reason: 'map one column to phone or bsuid: people are matched by BSUID, then phone',
      },
    ]);
  });

  it('accepts the dashboard session cookie for the upload, but not from another site', async () => {
    const cookie = `parley_session=${admin.sessionToken}`;
    const body = 'phone\n27821234567\n';
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/contacts/imports',
      headers: { cookie, 'content-type': 'text/csv', 'sec-fetch-site': 'same-origin' },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
    const cross = await app.inject({
      method: 'POST',
      url: '/v1/contacts/imports',
      headers: { cookie, 'content-type': 'text/csv', 'sec-fetch-site': 'cross-site' },
      payload: body,
    });
    expect(cross.statusCode).toBe(403);
    const none = await app.inject({
      method: 'POST',
      url: '/v1/contacts/imports',
      headers: { 'content-type': 'text/csv' },
      payload: body,
    });
    expect(none.statusCode).toBe(401);
  });
});
