import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server.js';
import { startConsumerRunner } from '../../core/log/consumer-runner.js';
import { defaultReplyAutomation, defaultReplyConsumer } from '../../engine/automations/index.js';
import { routingConsumer } from '../../engine/routing/index.js';
import { startFakeGraphApi } from '../../ingest/fake-graph-api/fake-graph-api.js';
import { simulatorChannel } from '../../ingest/simulator/simulator-channel.js';
import type { SimulatorConversation } from '../../ingest/simulator/simulator-conversation.js';
import { registerSimulatorRoutes } from '../../ingest/simulator/simulator-routes.js';
import { createSender } from '../../ingest/whatsapp/sender.js';
import { registerWhatsAppWebhook } from '../../ingest/whatsapp/webhook-route.js';
import { createTestDatabase } from '../setup/test-database.js';

// The simulator end to end, wired as api/platform.ts wires it: page API -> fake Graph API ->
// signed webhook -> log -> default-reply consumer -> outbox -> sender -> fake -> statuses.

const database = await createTestDatabase({ max: 12 });
const { db } = database;
const appSecret = randomBytes(16).toString('hex');
const fake = await startFakeGraphApi({ appSecret, accessToken: 'sim-token', statusDelayMs: 10 });
const channel = simulatorChannel({ fakeGraphUrl: fake.url, appSecret, accessToken: 'sim-token' });
const app = await buildServer({
  config: { logLevel: 'silent' },
  database,
  routes: [
    (scope) => registerWhatsAppWebhook(scope, { db, channel }),
    (scope) => registerSimulatorRoutes(scope, { db, fakeGraph: fake }),
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
  consumers: [
    routingConsumer({ automations: [defaultReplyAutomation({ defaultReply: undefined })] }),
    defaultReplyConsumer({ defaultReply: undefined }),
  ],
  onError: (_name, e) => errors.push(e),
});
afterAll(async () => {
  await runner.stop();
  await sender.stop();
  await app.close();
  await fake.stop();
});

const waId = '27870000001';
async function post(path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
async function conversation(): Promise<SimulatorConversation> {
  return (await fetch(`${url}/simulator/api/conversations/${waId}`)).json() as Promise<SimulatorConversation>;
}
async function waitForConversation(
  done: (c: SimulatorConversation) => boolean,
): Promise<SimulatorConversation> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = await conversation();
    if (done(c)) return c;
    if (Date.now() > deadline) throw new Error(`conversation not as expected: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('simulator round trip', () => {
  it('a typed message gets exactly one reply with buttons, delivered and read', async () => {
    const sent = await post('/simulator/api/messages', { from: waId, name: 'Thandi', text: 'hello' });
    expect(sent.status).toBe(202);
    expect(sent.json.id).toMatch(/^wamid\./);
    const c = await waitForConversation((c) => c.messages[1]?.status === 'read');
    expect(c.contact?.name).toBe('Thandi');
    expect(c.messages.map(({ id: _id, at: _at, ...m }) => m)).toStrictEqual([
      { direction: 'inbound', status: 'received', type: 'text', text: 'hello' },
      {
        direction: 'outbound',
        status: 'read',
        type: 'interactive',
        text: 'Got it: hello',
        buttons: [
          { id: 'menu', title: 'Menu' },
          { id: 'help', title: 'Help' },
        ],
      },
    ]);
    await runner.drain();
    const queued = await sql<{ n: string }>`
      select count(*) as n from events where type = 'message.queued' and contact_id = ${c.contact!.id}`.execute(
      db,
    );
    expect(queued.rows[0]!.n).toBe('1');
    // The tap reaches the service as a button reply quoting the message that offered it.
    const tap = await post('/simulator/api/messages', {
      from: waId,
      button_reply: { id: 'menu', title: 'Menu' },
    });
    expect(tap.status).toBe(202);
    const after = await waitForConversation((c) => c.messages[3]?.status === 'read');
    expect(after.messages[2]).toMatchObject({ direction: 'inbound', type: 'interactive', text: 'Menu' });
    expect(after.messages[3]!.list).toStrictEqual({
      button: 'Menu',
      sections: [
        {
          title: 'Parley',
          rows: [
            { id: 'about', title: 'About Parley', description: 'What this service is' },
            { id: 'help', title: 'Help', description: 'How the simulator works' },
          ],
        },
      ],
    });
    const phone = fake.conversation(waId);
    expect(phone.map((e) => e.direction)).toEqual(['inbound', 'outbound', 'inbound', 'outbound']);
    expect((phone[2]!.body.context as { id: string }).id).toBe(phone[1]!.id);
    expect(errors).toEqual([]);
  });

  it('reset starts a fresh conversation and is recorded in the log', async () => {
    const reset = await post(`/simulator/api/contacts/${waId}/reset`);
    expect(reset).toMatchObject({ status: 200, json: { wa_id: waId, reset: true } });
    expect((await conversation()).messages).toEqual([]);
    expect(fake.conversation(waId)).toEqual([]);
    const events = await db
      .selectFrom('events')
      .select(['payload', 'source'])
      .where('type', '=', 'simulator.reset')
      .execute();
    expect(events).toEqual([{ payload: { wa_id: waId }, source: 'simulator' }]);
  });

  it('refuses a message that is neither text nor a reply, naming the field', async () => {
    const bad = await post('/simulator/api/messages', { from: waId });
    expect(bad).toStrictEqual({
      status: 400,
      json: {
        error: {
          code: 'validation_failed',
          message: 'text: give exactly one of text, button_reply or list_reply',
          fields: [{ field: 'text', reason: 'give exactly one of text, button_reply or list_reply' }],
        },
      },
    });
    const badPhone = await fetch(`${url}/simulator/api/conversations/not-a-number`);
    expect(badPhone.status).toBe(400);
  });

  it('serves the page', async () => {
    const page = await fetch(`${url}/simulator/public`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<title>Parley simulator</title>');
    expect(html).toContain('setInterval(refresh, 1000)');
  });
});
