import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../ingest/channels.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createApiToken } from '../auth/api-tokens.js';
import { buildTestApiServer } from '../test-api-server.js';
import { createMember } from '../trpc/test-support.js';

const database = await createTestDatabase();
const { db } = database;
const admin = await createMember(db, 'admin');
const operator = await createMember(db, 'operator');
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApiServer(database, {
    channels: [{ name: 'whatsapp', kind: 'whatsapp' } as Channel],
  });
});
afterAll(() => app.close());

await db.insertInto('custom_fields').values({ key: 'district', name: 'District', type: 'text' }).execute();
const people = await db
  .insertInto('contacts')
  .values([
    {
      channel: 'whatsapp',
      wa_id: '27821234512',
      name: 'Thandi, "T" Mokoena',
      labels: ['pilot'],
      fields: '{"district":"north"}',
    },
    {
      channel: 'whatsapp',
      wa_id: '14155550123',
      name: '=HYPERLINK("x")',
      timezone: 'Africa/Lagos',
      opt_in: 'opted_in',
    },
    { channel: 'whatsapp', wa_id: '27831112222', name: 'Gone', erased_at: new Date() },
  ])
  .returning(['id', 'created_at'])
  .execute();
const [thandi, sipho] = people as [{ id: string; created_at: Date }, { id: string; created_at: Date }];
const header =
  'id,phone,bsuid,username,name,language,timezone,opt_in,marketing_opt_in,blocked,labels,district,created_at,last_message_received_at';

describe('GET /v1/contacts/export.csv', () => {
  it('streams everyone (not the erased) as CSV, quoted and safe for spreadsheets, unmasked with pii.read', async () => {
    const token = (
      await createApiToken(db, admin.actor, { name: 'x', scopes: ['contacts.read', 'pii.read'] })
    ).token;
    const response = await app.inject({
      method: 'GET',
      url: '/v1/contacts/export.csv',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="people.csv"');
    expect(response.body.split('\r\n')).toEqual([
      header,
      `${thandi.id},+27821234512,,,"Thandi, ""T"" Mokoena",,Africa/Johannesburg,unknown,unknown,false,pilot,north,${thandi.created_at.toISOString()},`,
      `${sipho.id},+14155550123,,,"'=HYPERLINK(""x"")",,Africa/Lagos,opted_in,unknown,false,,,${sipho.created_at.toISOString()},`,
      '',
    ]);
  });

  it('masks phone and name without pii.read (session cookie) and filters by label', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/contacts/export.csv?label=pilot',
      headers: { cookie: `parley_session=${operator.sessionToken}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.split('\r\n')).toEqual([
      header,
      `${thandi.id},+27 *******12,,,"T*** ""*** M***",,Africa/Johannesburg,unknown,unknown,false,pilot,north,${thandi.created_at.toISOString()},`,
      '',
    ]);
  });

  it("exports a segment's latest snapshot, and answers 404 when it has none", async () => {
    const token = (await createApiToken(db, admin.actor, { name: 'y', scopes: ['contacts.read'] })).token;
    const segment = await db
      .insertInto('segments')
      .values({ name: 'S', sql: 'select 1', created_by: 'user:1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const none = await app.inject({
      method: 'GET',
      url: `/v1/contacts/export.csv?segment_id=${segment.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toBe(`segment ${segment.id} has no snapshot yet: take one first`);
    for (const members of [[thandi.id], [sipho.id]]) {
      const snapshot = await db
        .insertInto('segment_snapshots')
        .values({ segment_id: segment.id, count: 1, sql_hash: 'h', log_position: 0, requested_by: 'user:1' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('segment_snapshot_members')
        .values(members.map((contact_id) => ({ snapshot_id: snapshot.id, contact_id })))
        .execute();
    }
    const latest = await app.inject({
      method: 'GET',
      url: `/v1/contacts/export.csv?segment_id=${segment.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(
      latest.body
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0]),
    ).toEqual([sipho.id]);
  });
});
