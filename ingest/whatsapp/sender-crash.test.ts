import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import type { Channel } from '../channels.js';
import { startFakeGraphApi } from '../fake-graph-api/fake-graph-api.js';
import { registerWhatsAppWebhook } from './webhook-route.js';

// kill -9 of a sender in the middle of 200 sends, then a restart: every message ends sent,
// message.sent is appended exactly once per message, and every duplicate delivery the fake
// saw is a request that was in flight at the kill, tied back to its message id through
// biz_opaque_callback_data in the status webhooks stored in the log.

const database = await createTestDatabase({ max: 12 });
const { db } = database;
const total = 200;
const leaseMs = 5000;

const channel: Channel = {
  name: 'whatsapp',
  kind: 'whatsapp',
  phoneNumberId: '1555',
  graphUrl: 'unused',
  apiVersion: 'v23.0',
  accessToken: 'crash-token',
  appSecret: 'crash-secret',
  verifyToken: 'v',
  rateLimitPerSecond: 100,
  sendTimeoutMs: 2000,
  webhookPath: '/webhooks/whatsapp',
};
const app = Fastify();
await registerWhatsAppWebhook(app, { db, channel });
const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
// Latency keeps requests in flight, so that the kill lands between Meta's 200 and the settle.
const fake = await startFakeGraphApi({
  appSecret: 'crash-secret',
  accessToken: 'crash-token',
  webhookUrl: `${appUrl}/webhooks/whatsapp`,
  latencyMs: 100,
  statusDelayMs: 20,
  autoRead: false,
});
afterAll(async () => {
  await fake.stop();
  await app.close();
});

function startWorker(): {
  child: ChildProcessWithoutNullStreams;
  exit: Promise<number | string>;
  ready: Promise<void>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/sender-worker.ts', database.url, fake.url, String(leaseMs)],
    {
      stdio: 'pipe',
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => String(d).includes('ready') && resolve()),
  );
  const exit = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(stderr);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { child, exit, ready };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('after kill -9 and a restart every message is sent, message.sent once each, duplicates explained', async () => {
  const ids: string[] = [];
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < total; i++) {
      const waId = String(27_850_000_000 + i);
      await tx
        .insertInto('contacts')
        .values({ channel: 'whatsapp', wa_id: waId, last_inbound_at: new Date() })
        .execute();
      ids.push(
        (
          await queueMessage(tx, {
            channel: 'whatsapp',
            wa_id: waId,
            message: { type: 'text', body: `m${i}` },
          })
        ).messageId,
      );
    }
  });

  const first = startWorker();
  await waitFor(() => fake.requests.length >= 60, 30_000);
  first.child.kill('SIGKILL');
  expect(await first.exit).toBe('SIGKILL');
  const sentBeforeRestart = await db.selectFrom('outbox').select('id').where('state', '=', 'sent').execute();
  expect(sentBeforeRestart.length).toBeLessThan(total);

  // Everything the first process sent has arrived long before the second one has booted.
  const restartedAt = performance.timeOrigin + performance.now();
  const second = startWorker();
  await second.ready;
  await waitFor(async () => {
    const pending = await db.selectFrom('outbox').select('id').where('state', '!=', 'sent').execute();
    return pending.length === 0;
  }, 60_000);
  second.child.kill('SIGTERM');
  expect(await second.exit).toBe(0);
  await fake.idle();

  // Exactly one message.sent per message, agreeing with the wamid kept on the message.
  const sent = await sql<{ message_id: string; external_id: string; attempts: number }>`
    select payload->>'message_id' as message_id, payload->>'external_id' as external_id, (payload->>'attempts')::int as attempts
    from events where type = 'message.sent' order by 1::bigint`.execute(db);
  expect(sent.rows.length).toBe(total);
  expect(new Set(sent.rows.map((r) => r.message_id))).toEqual(new Set(ids));
  const messages = await db
    .selectFrom('messages')
    .select(['id', 'external_id', 'status'])
    .where('id', 'in', ids)
    .execute();
  const wamidOf = new Map(messages.map((m) => [m.id, m.external_id]));
  for (const r of sent.rows) expect(wamidOf.get(r.message_id)).toBe(r.external_id);
  expect(new Set(messages.map((m) => m.status))).toEqual(new Set(['delivered']));

  // Deliveries the fake made (it answered 200, even to a client that had died), per message id.
  const deliveries = new Map<string, { at: number; wamid: string }[]>();
  for (const r of fake.requests) {
    const tag = (r.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data;
    if (r.status !== 200 || !tag || !r.wamid) continue;
    const id = tag.replace('parley:', '');
    deliveries.set(id, [...(deliveries.get(id) ?? []), { at: r.at, wamid: r.wamid }]);
  }
  expect(new Set(deliveries.keys())).toEqual(new Set(ids));
  const duplicated = [...deliveries.entries()].filter(([, d]) => d.length > 1);
  const outbox = await db
    .selectFrom('outbox')
    .select(['message_id', 'attempts'])
    .where('message_id', 'in', ids)
    .execute();
  const attemptsOf = new Map(outbox.map((o) => [o.message_id, o.attempts]));
  // The at-least-once window: each duplicate was first sent before the kill and never
  // settled, so the restarted sender claimed it again once the lease expired.
  for (const [id, d] of duplicated) {
    expect(d.length).toBe(2);
    expect(d[0]!.at).toBeLessThan(restartedAt);
    expect(d[1]!.at).toBeGreaterThan(restartedAt);
    expect(attemptsOf.get(id)).toBe(2);
  }
  expect(duplicated.length).toBeGreaterThan(0);

  // The same duplicates, found in the log alone with the query from docs/outbound.md.
  const fromLog = await sql<{ message_id: string; external_ids: string[] }>`
    select substring(payload->>'biz_opaque_callback_data' from '^parley:(\\d+)$') as message_id,
           array_agg(distinct payload->>'external_id') as external_ids
    from events
    where type = 'message.status' and payload->>'biz_opaque_callback_data' like 'parley:%'
    group by 1
    having count(distinct payload->>'external_id') > 1`.execute(db);
  expect(new Map(fromLog.rows.map((r) => [r.message_id, [...r.external_ids].sort()]))).toEqual(
    new Map(duplicated.map(([id, d]) => [id, d.map((x) => x.wamid).sort()])),
  );
}, 120_000);
