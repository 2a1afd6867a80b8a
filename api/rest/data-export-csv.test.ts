import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { mirrorDir } from '../../warehouse/bigquery/testing/compare-rows.js';
import { startMirror } from '../../warehouse/duckdb/mirror.js';
import { insertHistory } from '../../warehouse/testing/log-writer.js';
import { createApiToken } from '../auth/api-tokens.js';
import { buildTestApiServer } from '../test-api-server.js';
import { createMember } from '../trpc/test-support.js';

const database = await createTestDatabase();
const dir = await mirrorDir();
const at = new Date('2030-05-01T09:00:00.000Z');
const event = (type: string, payload: Record<string, unknown>, key: string) => ({
  type,
  schema_version: 1,
  occurred_at: at,
  contact_id: 9001,
  channel: 'simulator',
  source: 'simulator',
  idempotency_key: key,
  payload,
});
await insertHistory(database.pool, [
  event('contact.created', { wa_id: '27835550001', name: 'Thandi', channel: 'simulator' }, 'c:1'),
  event(
    'message.received',
    {
      message_id: '77001',
      external_id: 'wamid.csv.1',
      wa_id: '27835550001',
      profile_name: 'Thandi',
      message_type: 'text',
      timestamp: at.toISOString(),
      text: '=HYPERLINK("http://evil.example.org","click")',
      raw: { id: 'wamid.csv.1', type: 'text' },
    },
    'wamid.csv.1',
  ),
]);
const mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path });
await mirror.drain();
const app = await buildTestApiServer(database, { channels: [], warehouse: mirror });
// The formula escaping is about real text: a token that may read it.
const engineer = await createMember(database.db, 'admin');
const auth = `Bearer ${(await createApiToken(database.db, engineer.actor, { name: 'csv', scopes: ['warehouse.query', 'pii.read'] })).token}`;
afterAll(async () => {
  await app.close();
  await mirror.stop();
  await dir.remove();
});

describe('GET /v1/data/{table}.csv', () => {
  it('escapes text a spreadsheet would run as a formula, as the people export does', async () => {
    const csv = await app.inject({
      method: 'GET',
      url: '/v1/data/messages.csv?from=2030-05-01T00:00:00Z&until=2030-05-02T00:00:00Z',
      headers: { authorization: auth },
    });
    expect(csv.statusCode).toBe(200);
    const [header, row] = csv.body.split('\r\n');
    const text = header!.split(',').indexOf('text');
    expect(text).toBeGreaterThan(-1);
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example.org"",""click"")"`);
    expect(row).not.toContain(`,"=HYPERLINK`);
  });
});
