import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import type { NewEvent } from '../../../core/log/event.schema.js';
import { populationEvents, segmentPopulation } from '../../../engine/segments/testing/segment-population.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { type Mirror, startMirror } from '../../../warehouse/duckdb/mirror.js';
import { createApiToken } from '../../auth/api-tokens.js';
import { buildTestApiServer } from '../../test-api-server.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

/**
 * Hostile SQL from members without pii.read, through the real routers (createCaller) and the
 * REST API: none of it may answer with a fixture person's number, name or message text, in
 * rows, counts or errors. Members with pii.read get the real catalogue.
 */
const database = await createTestDatabase({ max: 4 });
const { db } = database;
const people = segmentPopulation(1, 6);
const thandi = { id: '50', waId: '27821112222', name: 'Thandi Mokoena', text: 'my secret clinic note 4471' };
const secrets = [
  thandi.waId,
  'Thandi',
  'Mokoena',
  'secret clinic',
  '4471',
  '254700000001',
  'Person 1',
  'Ann 4',
];
let dir: string;
let mirror: Mirror;
let app: FastifyInstance;

const at = new Date('2026-11-01T10:00:00Z');
const thandiEvents: NewEvent[] = [
  {
    type: 'contact.created',
    source: 'whatsapp',
    contact_id: thandi.id,
    channel: 'whatsapp',
    occurred_at: at,
    payload: { wa_id: thandi.waId, name: thandi.name, channel: 'whatsapp' },
  },
  {
    type: 'message.received',
    source: 'whatsapp',
    contact_id: thandi.id,
    channel: 'whatsapp',
    occurred_at: at,
    idempotency_key: 'wamid.thandi.1',
    payload: {
      message_id: '9001',
      external_id: 'wamid.thandi.1',
      wa_id: thandi.waId,
      timestamp: at.toISOString(),
      message_type: 'text',
      text: thandi.text,
      raw: { id: 'wamid.thandi.1', type: 'text' },
    },
  },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-segments-pii-'));
  await db
    .insertInto('custom_fields')
    .values([
      { key: 'age', name: 'Age', type: 'number' },
      { key: 'district', name: 'District', type: 'choice' },
      { key: 'nickname', name: 'Nickname', type: 'text' },
    ])
    .execute();
  await db.transaction().execute((tx) => append(tx, [...populationEvents(people), ...thandiEvents]));
  mirror = await startMirror({ databaseUrl: database.url, dataDir: dir });
  await mirror.drain();
  app = await buildTestApiServer(database, { warehouse: mirror });
});
afterAll(async () => {
  await app?.close();
  await mirror?.stop();
  await rm(dir, { recursive: true, force: true });
});

const hostile: [string, string][] = [
  [
    'error() of every number and name',
    `SELECT error((SELECT string_agg(wa_id || ' ' || name, ', ') FROM contacts)) AS contact_id`,
  ],
  ['a message text cast to a number', 'SELECT CAST(text AS INTEGER) AS contact_id FROM messages'],
  ['a name cast to a number', 'SELECT CAST(name AS INTEGER) AS contact_id FROM contacts'],
  ['a number in a JSON error', `SELECT json_extract(wa_id, '$') AS contact_id FROM contacts`],
  ['the raw payloads', `SELECT error(string_agg(payload::VARCHAR, ' ')) AS contact_id FROM events_raw`],
  [
    'a custom text field',
    `SELECT error(string_agg(custom_fields::VARCHAR, ' ')) AS contact_id FROM contacts`,
  ],
  [
    'profile change values',
    `SELECT error(string_agg(new_value::VARCHAR, ' ')) AS contact_id FROM contact_changes`,
  ],
  ['the attached warehouse', 'SELECT contact_id FROM warehouse.contacts'],
  ['the unmasked views', 'SELECT contact_id FROM memory.full.contacts'],
];

/** Counts that would tell whether a guess is right, if the catalogue were not masked. */
const oracles: [string, string][] = [
  ['a name', `SELECT contact_id FROM contacts WHERE name LIKE 'Thandi%'`],
  ['a number', `SELECT contact_id FROM contacts WHERE wa_id = '${thandi.waId}'`],
  ['a message text', `SELECT contact_id FROM messages WHERE text LIKE '%secret%'`],
  ['an audit payload', `SELECT contact_id FROM events_raw WHERE payload::VARCHAR LIKE '%Thandi%'`],
  ['a text custom field', `SELECT contact_id FROM contacts WHERE custom_fields->>'nickname' = 'Ann 4'`],
  ['a changed value', `SELECT contact_id FROM contact_changes WHERE new_value::VARCHAR LIKE '%Ann%'`],
];

const leaks = (value: unknown) => secrets.filter((s) => JSON.stringify(value).includes(s));

describe('segments over personal data', () => {
  it.each(hostile)('answers a viewer trying %s without any personal data', async (_name, sql) => {
    const viewer = (await createMember(db, 'viewer')).actor;
    const caller = callerFor(testServices(db, { warehouse: mirror }), viewer).caller;
    const shape = await errorShape(caller.segments.preview({ sql }));
    expect(shape.data.code).toBe('BAD_REQUEST');
    expect(leaks(shape)).toEqual([]);
  });

  it.each(oracles)(
    'counts nobody by %s for a viewer, and the real people for an admin',
    async (_name, sql) => {
      const viewer = (await createMember(db, 'viewer')).actor;
      const admin = (await createMember(db, 'admin')).actor;
      const services = testServices(db, { warehouse: mirror });
      const asViewer = await callerFor(services, viewer).caller.segments.preview({ sql });
      expect({ count: asViewer.count, rows: asViewer.rows }).toEqual({ count: 0, rows: [] });
      const asAdmin = await callerFor(services, admin).caller.segments.preview({ sql });
      expect(asAdmin.count).toBeGreaterThan(0);
    },
  );

  it('keeps non-personal columns, choice fields, joins and masked identifiers usable for a viewer', async () => {
    const viewer = (await createMember(db, 'viewer')).actor;
    const caller = callerFor(testServices(db, { warehouse: mirror }), viewer).caller;
    const north = people.filter((p) => p.district === 'north').map((p) => String(p.id));
    const byDistrict = await caller.segments.preview({
      sql: `SELECT contact_id FROM contacts WHERE custom_fields->>'district' = 'north'`,
    });
    expect(byDistrict.rows.map((r) => r.contact_id)).toEqual(north);
    const nicknamed = await caller.segments.preview({
      sql: `SELECT contact_id FROM contacts WHERE (custom_fields->>'nickname') = '[redacted]'`,
    });
    expect(nicknamed.rows.map((r) => r.contact_id)).toEqual(
      people.filter((p) => p.nickname !== null).map((p) => String(p.id)),
    );
    const joined = await caller.segments.preview({
      sql: `SELECT c.contact_id FROM contacts c JOIN messages m USING (contact_id)
            WHERE m.direction = 'inbound' AND m.text IS NOT NULL AND c.contact_id = ${thandi.id}`,
    });
    expect(joined.count).toBe(1);
    // Hashes join: the same number in contacts and messages hashes to the same value.
    const hashed = await caller.segments.preview({
      sql: `SELECT c.contact_id FROM contacts c JOIN messages m ON m.wa_id = c.wa_id
            WHERE c.wa_id LIKE 'anon\\_%' ESCAPE '\\' AND length(c.wa_id) = 21 AND c.name = 'T*** M***'
              AND m.text = '[redacted]' AND (c.custom_fields->>'nickname') IS NULL`,
    });
    expect(hashed.rows.map((r) => r.contact_id)).toEqual([thandi.id]);
    expect(hashed.rows[0]).toMatchObject({ name: 'T*** M***', wa_id: '+27 *******22' });
  });

  it('cleans data values out of errors for members with pii.read too', async () => {
    const admin = (await createMember(db, 'admin')).actor;
    const caller = callerFor(testServices(db, { warehouse: mirror }), admin).caller;
    const raised = await errorShape(
      caller.segments.preview({ sql: `SELECT error(string_agg(name, ' ')) AS contact_id FROM contacts` }),
    );
    expect(raised.message).toBe(
      'Invalid Input Error: the query failed on a value (the text is not shown because it may contain data)',
    );
    const cast = await errorShape(
      caller.segments.preview({ sql: 'SELECT CAST(text AS INTEGER) AS contact_id FROM messages' }),
    );
    expect(cast.message).toMatch(/^Conversion Error: Could not convert string '…' to INT32/);
    expect(leaks([raised, cast])).toEqual([]);
  });

  it('reveals a preview only to a member with pii.read who asks, and logs each person revealed', async () => {
    const viewer = (await createMember(db, 'viewer')).actor;
    const admin = (await createMember(db, 'admin')).actor;
    const services = testServices(db, { warehouse: mirror });
    const sql = `SELECT contact_id FROM contacts WHERE contact_id IN (1, ${thandi.id})`;
    const refused = await errorShape(
      callerFor(services, viewer).caller.segments.preview({ sql, reveal: true }),
    );
    expect(refused).toMatchObject({
      message: 'revealing names and numbers needs the pii.read permission',
      data: { code: 'FORBIDDEN' },
    });
    const asAdmin = callerFor(services, admin).caller;
    const masked = await asAdmin.segments.preview({ sql });
    expect(masked.masked).toBe(true);
    expect(masked.rows.map((r) => [r.name, r.wa_id])).toEqual([
      ['P*** 1***', '+254 *******01'],
      ['T*** M***', '+27 *******22'],
    ]);
    const revealsBefore = await reveals();
    const revealed = await asAdmin.segments.preview({ sql, reveal: true });
    expect(revealed.masked).toBe(false);
    expect(revealed.rows).toEqual([
      { contact_id: '1', name: 'Person 1', wa_id: '254700000001', labels: [] },
      { contact_id: thandi.id, name: thandi.name, wa_id: thandi.waId, labels: [] },
    ]);
    expect((await reveals()).slice(revealsBefore.length)).toEqual([
      { contact_id: '1', action: 'pii.reveal', via: 'segment preview', user: admin.userId },
      { contact_id: thandi.id, action: 'pii.reveal', via: 'segment preview', user: admin.userId },
    ]);
  });

  it('counts REST segments of a token without pii.read over the masked catalogue, errors without data', async () => {
    const admin = (await createMember(db, 'admin')).actor;
    const token = async (scopes: ('segments.read' | 'segments.write' | 'pii.read')[]) =>
      `Bearer ${(await createApiToken(db, admin, { name: 'segments', scopes })).token}`;
    const plain = await token(['segments.read', 'segments.write']);
    const withPii = await token(['segments.read', 'segments.write', 'pii.read']);
    const create = (authorization: string, name: string, sql: string) =>
      app.inject({ method: 'POST', url: '/v1/segments', headers: { authorization }, payload: { name, sql } });
    const exfiltrate = await create(plain, 'x', hostile[0]![1]);
    expect(exfiltrate.statusCode).toBe(400);
    expect(leaks(exfiltrate.body)).toEqual([]);
    const oracle = `SELECT contact_id FROM contacts WHERE name LIKE 'Thandi%'`;
    const masked = await create(plain, 'Thandis (masked)', oracle);
    expect(masked.statusCode).toBe(201);
    expect(masked.json().latest_count.count).toBe(0);
    const real = await create(withPii, 'Thandis', oracle);
    expect(real.json().latest_count.count).toBe(1);
  });
});

async function reveals() {
  const rows = await db
    .selectFrom('events')
    .select(['contact_id', 'payload'])
    .where('type', '=', 'operator.action')
    .orderBy('id')
    .execute();
  return rows
    .map((r) => {
      const p = r.payload as { action: string; details: { via?: string }; actor: { id?: string } };
      return { contact_id: r.contact_id, action: p.action, via: p.details.via, user: p.actor.id };
    })
    .filter((r) => r.action === 'pii.reveal');
}
