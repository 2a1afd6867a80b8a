import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/api-tokens.js';
import { registerApi } from '../../api/register-api.js';
import { buildServer } from '../../api/server.js';
import { callerFor, createMember, testServices } from '../../api/trpc/test-support.js';
import { startConsumerRunner } from '../../core/log/consumer-runner.js';
import { chargesConsumer, ensureSeedRateCard } from '../../engine/billing/index.js';
import { startFakeGraphApi } from '../../ingest/fake-graph-api/fake-graph-api.js';
import { simulatorChannel } from '../../ingest/simulator/simulator-channel.js';
import { createSender } from '../../ingest/whatsapp/sender.js';
import { registerWhatsAppWebhook } from '../../ingest/whatsapp/webhook-route.js';
import { mirrorDir } from '../../warehouse/bigquery/testing/compare-rows.js';
import { startMirror } from '../../warehouse/duckdb/mirror.js';
import { createTestDatabase } from '../setup/test-database.js';

// Billing end to end: templates sent through the REST API go out through the sender to the fake
// Graph API, whose signed status webhooks (with Meta's `pricing`) come back through the webhook
// route; the charges consumer bills them from the log, and three views of the spend must agree:
// the charge events, the billing API (the page's numbers) and the warehouse's charges table.

const database = await createTestDatabase({ max: 12 });
const { db } = database;
const appSecret = randomBytes(16).toString('hex');
const fake = await startFakeGraphApi({ appSecret, accessToken: 'bill-token', statusDelayMs: 5 });
const channel = simulatorChannel({ fakeGraphUrl: fake.url, appSecret, accessToken: 'bill-token' });
await ensureSeedRateCard(db);
const app = await buildServer({
  config: { logLevel: 'silent' },
  database,
  routes: [
    (scope) => registerWhatsAppWebhook(scope, { db, channel }),
    (scope) =>
      registerApi(scope, {
        database,
        config: { publicUrl: undefined, allowLocalWebhooks: false },
        channels: [channel],
      }),
  ],
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
fake.setWebhookUrl(`${url}${channel.webhookPath}`);
const errors: unknown[] = [];
const sender = createSender({
  db,
  channels: [channel],
  databaseUrl: database.url,
  onError: (e) => errors.push(e),
});
await sender.start();
const runner = await startConsumerRunner({
  db,
  databaseUrl: database.url,
  consumers: [chargesConsumer()],
  onError: (_name, e) => errors.push(e),
});
const dir = await mirrorDir();
const mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path });
afterAll(async () => {
  await mirror.stop();
  await runner.stop();
  await sender.stop();
  await app.close();
  await fake.stop();
  await dir.remove();
});

const admin = await createMember(db, 'admin');
const token = (
  await createApiToken(db, admin.actor, {
    name: 'billing',
    scopes: ['billing.read', 'billing.manage', 'messages.send'],
  })
).token;
async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`not reached: ${JSON.stringify(value)}; errors: ${errors.join('; ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('billing reconciles', () => {
  it('charge events, the billing API and the warehouse agree on the spend', async () => {
    const topUp = await api('POST', '/v1/billing/top-ups', {
      amount: '5.00',
      currency: 'USD',
      reference: 'PO-77',
    });
    expect(topUp.status).toBe(201);
    expect(topUp.json).toMatchObject({ amount: '5.00', amount_micros: 5_000_000, reference: 'PO-77' });

    const people = ['27821230001', '27821230002', '254712300003', '4915112300004'];
    for (const to of people) {
      const sent = await api('POST', '/v1/messages', {
        to,
        message: { type: 'template', name: 'weekly_reminder', language: 'en' },
      });
      expect(sent.status).toBe(202);
    }
    // The fake prices templates as utility (regular): South Africa 0.0076 twice, Kenya 0.0040, '*' 0.0077.
    const expected = 7600 + 7600 + 4000 + 7700;
    await until(
      () =>
        db
          .selectFrom('charges')
          .select(sql<string>`coalesce(sum(amount_micros), 0)::text`.as('total'))
          .executeTakeFirstOrThrow(),
      (row) => row.total === String(expected),
    );
    const events = await sql<{ total: string; n: string }>`
      select sum((payload->>'amount_micros')::bigint)::text as total, count(*)::text as n
      from events where type = 'charge.created'`.execute(db);
    expect(events.rows[0]).toEqual({ total: String(expected), n: '4' });

    const spend = await api('GET', '/v1/billing/spend');
    expect(spend.json).toMatchObject({ total_micros: expected, total: '0.0269', messages: 4 });
    const { caller } = callerFor(testServices(db), admin.actor);
    const page = await caller.billing.spend();
    expect(page.current.total_micros).toBe(expected);
    expect(page.current.by_market).toEqual([
      {
        calling_code: '27',
        market: 'South Africa',
        category: 'utility',
        amount_micros: 15_200,
        amount: '0.0152',
        messages: 2,
      },
      {
        calling_code: '*',
        market: 'Other',
        category: 'utility',
        amount_micros: 7700,
        amount: '0.0077',
        messages: 1,
      },
      {
        calling_code: '254',
        market: 'Rest of Africa (Kenya)',
        category: 'utility',
        amount_micros: 4000,
        amount: '0.004',
        messages: 1,
      },
    ]);
    const balance = await api('GET', '/v1/billing/balance');
    expect(balance.json).toMatchObject({
      spent: '0.0269',
      reserved: '0.00',
      available_micros: 5_000_000 - expected,
    });

    const warehouse = await until(
      () =>
        mirror.query(
          'SELECT count(*)::INTEGER AS n, coalesce(sum(amount_micros), 0)::BIGINT AS total FROM charges',
        ),
      (rows) => rows[0]?.n === 4,
    );
    expect(warehouse).toEqual([{ n: 4, total: String(expected) }]);
    expect(errors).toEqual([]);
  });
});
