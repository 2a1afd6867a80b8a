import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startMirror } from '../../warehouse/duckdb/mirror.js';
import { verifyWarehouse } from '../../warehouse/duckdb/verify.js';
import {
  numberChanged,
  textMessage,
  userIdUpdate,
  userPreference,
} from '../fixtures/whatsapp/identity-payloads.js';
import { postSigned, testChannel, webhookApp } from '../fixtures/whatsapp/webhook-app.js';
import { createTestDatabase } from '../setup/test-database.js';

const database = await createTestDatabase({ max: 6 });
const dataDir = await mkdtemp(join(tmpdir(), 'parley-identities-'));
const channel = testChannel();
const app = await webhookApp(database, [channel]);
const mirror = await startMirror({ databaseUrl: database.url, dataDir });
afterAll(async () => {
  await mirror.stop();
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('after merges and identity changes, the mirror equals a recomputation from the log (warehouse verify)', async () => {
  const T = 1_780_000_000;
  const post = async (body: string) => expect((await postSigned(app, channel, body)).statusCode).toBe(200);
  // Two people who turn out to be one: merged into the older.
  await post(textMessage('wamid.m1', T, { phone: '254700000006', name: 'Baraka' }));
  await mirror.drain();
  await post(
    textMessage('wamid.m2', T + 60, { bsuid: 'KE.1000000000000006', username: 'baraka', name: 'Baraka' }),
  );
  await post(
    textMessage('wamid.m3', T + 120, { phone: '254700000006', bsuid: 'KE.1000000000000006', name: 'Baraka' }),
  );
  // A number change, then a BSUID change, then a marketing opt-out.
  await post(textMessage('wamid.m4', T, { phone: '254700000007', bsuid: 'KE.1000000000000007' }));
  await post(numberChanged('wamid.m5', T + 60, { from: '254700000007', to: '254711111117' }));
  await post(
    userIdUpdate(T + 61, {
      phone: '254711111117',
      previous: 'KE.1000000000000007',
      current: 'KE.2000000000000007',
    }),
  );
  await post(userPreference(T + 62, { bsuid: 'KE.2000000000000007' }, 'stop'));
  await mirror.drain();

  const result = await verifyWarehouse({ databaseUrl: database.url, dataDir });
  expect(result.tables.filter((t) => !t.equal)).toEqual([]);
  expect(result.equal).toBe(true);
  const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.mirror.rows]));
  // Two people (the merged one has no row), five messages, each counted once.
  expect(rows.contacts).toBe(2);
  expect(rows.messages).toBe(5);
});
