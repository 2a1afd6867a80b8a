import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLiveEventFeed } from '../../../core/log/live-event-feed.js';
import { startFakeGraphApi } from '../../../ingest/fake-graph-api/fake-graph-api.js';
import { simulatorChannel } from '../../../ingest/simulator/simulator-channel.js';
import { registerWhatsAppWebhook } from '../../../ingest/whatsapp/webhook-route.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { buildServer } from '../../server.js';
import { simulatorService } from '../simulator-service.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

// The simulator's own webhook path is real: fake Graph API -> signed webhook -> ingest -> log.
const database = await createTestDatabase();
const { db } = database;
const appSecret = randomBytes(16).toString('hex');
const fake = await startFakeGraphApi({ appSecret });
const channel = simulatorChannel({ fakeGraphUrl: fake.url, appSecret });
const app = await buildServer({
  config: { logLevel: 'silent' },
  database,
  routes: [(scope) => registerWhatsAppWebhook(scope, { db, channel })],
});
fake.setWebhookUrl(`${await app.listen({ port: 0, host: '127.0.0.1' })}${channel.webhookPath}`);
const liveFeed = createLiveEventFeed({ db, databaseUrl: database.url, pollIntervalMs: 200 });
afterAll(async () => {
  await liveFeed.stop();
  await app.close();
  await fake.stop();
});
const services = testServices(db, {
  channels: [channel],
  liveFeed,
  simulator: simulatorService({ db, fakeGraph: fake }),
});

describe('simulator procedures', () => {
  it('lets an operator chat as a test person, see it live and in the conversation, and reset', async () => {
    const operator = await createMember(db, 'operator');
    const abort = new AbortController();
    const { caller } = callerFor(services, operator.actor, { signal: abort.signal });
    expect(await caller.simulator.status()).toEqual({ running: true, channel: 'simulator' });
    const live = (
      await caller.events.onNew({ channel: 'simulator', types: ['message.received', 'simulator.reset'] })
    )[Symbol.asyncIterator]();
    const first = live.next();

    const sent = await caller.simulator.send({
      waId: '27820001111',
      name: 'Test Person',
      content: { text: 'hi' },
    });
    expect(sent.id).toMatch(/^wamid\./);
    const seen = (await first).value as unknown as [
      string,
      { type: string; payload: { text: string; wa_id: string } },
    ];
    expect(seen[1]).toMatchObject({
      type: 'message.received',
      payload: { text: 'hi', wa_id: '+27 *******11' },
    });

    const conversation = await caller.simulator.conversation({ waId: '27820001111' });
    expect(conversation.contact?.name).toBe('Test Person');
    expect(conversation.messages.map((m) => [m.direction, m.type, m.text, m.status])).toEqual([
      ['inbound', 'text', 'hi', 'received'],
    ]);

    const afterReset = live.next();
    expect(await caller.simulator.reset({ waId: '27820001111' })).toEqual({
      contact_id: conversation.contact!.id,
    });
    const reset = (await afterReset).value as unknown as [string, { type: string }];
    expect(reset[1].type).toBe('simulator.reset');
    expect((await caller.simulator.conversation({ waId: '27820001111' })).messages).toEqual([]);
    abort.abort();
  });

  it('is refused to viewers and analysts, and says when the simulator is off', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const member = await createMember(db, role);
      await expect(callerFor(services, member.actor).caller.simulator.status()).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    const builder = await createMember(db, 'builder');
    const off = callerFor(testServices(db), builder.actor).caller;
    const shape = await errorShape(off.simulator.send({ waId: '27820001111', content: { text: 'hi' } }));
    expect(shape.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      httpStatus: 503,
      appCode: 'unavailable',
    });
  });
});
