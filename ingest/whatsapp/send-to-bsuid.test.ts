import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { textMessage, userPreference } from '../../test/fixtures/whatsapp/identity-payloads.js';
import { postSigned, testChannel, webhookApp } from '../../test/fixtures/whatsapp/webhook-app.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { startFakeGraphApi } from '../fake-graph-api/fake-graph-api.js';
import { createSender } from './sender.js';

const database = await createTestDatabase();
const { db } = database;
const fake = await startFakeGraphApi({ appSecret: 'fake-secret', statusDelayMs: 5 });
const channel = testChannel({ graphUrl: fake.url, appSecret: 'fake-secret' });
const app = await webhookApp(database, [channel]);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
fake.setWebhookUrl(
  `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${channel.webhookPath}`,
);
afterAll(async () => {
  await fake.stop();
  await app.close();
});

const bsuid = 'KE.7730591826604417';
const T = Math.floor(Date.now() / 1000);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setImmediate(r));
  }
}

describe('sending to a person known by BSUID only', () => {
  it('goes out with `recipient`, and its statuses come back to that person', async () => {
    await postSigned(app, channel, textMessage('wamid.in-1', T, { bsuid, username: 'wanjiru.k' }));
    const person = await db
      .selectFrom('contacts')
      .select(['id', 'wa_id'])
      .where('bsuid', '=', bsuid)
      .executeTakeFirstOrThrow();
    expect(person.wa_id).toBeNull();

    const queued = await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel: channel.name,
        contact_id: person.id,
        message: { type: 'text', body: 'Karibu' },
      }),
    );
    expect(queued).toMatchObject({ contactId: person.id, waId: null, bsuid });
    const sender = createSender({ db, channels: [channel], onError: (e) => expect(e).toBeUndefined() });
    await sender.start();
    await sender.drain();
    await sender.stop();

    const [request] = fake.requests.filter((r) => r.path.endsWith('/messages'));
    expect(request!.body).toMatchObject({ recipient: bsuid, type: 'text', text: { body: 'Karibu' } });
    expect(request!.body).not.toHaveProperty('to');
    expect(request!.response).toMatchObject({ contacts: [{ input: bsuid, user_id: bsuid }] });

    const message = await waitFor(
      () =>
        db
          .selectFrom('messages')
          .select(['status', 'contact_id'])
          .where('id', '=', queued.messageId)
          .executeTakeFirstOrThrow(),
      (m) => m.status === 'read',
    );
    expect(message).toEqual({ status: 'read', contact_id: person.id });
    const statuses = await db
      .selectFrom('events')
      .select(['contact_id', 'payload'])
      .where('type', '=', 'message.status')
      .where('source', '=', channel.name)
      .orderBy('id')
      .execute();
    expect(statuses.map((s) => [s.contact_id, (s.payload as { status: string }).status])).toEqual([
      [person.id, 'sent'],
      [person.id, 'delivered'],
      [person.id, 'read'],
    ]);
    expect(statuses[0]!.payload).toMatchObject({ recipient_user_id: bsuid, message_id: queued.messageId });
    expect(statuses[0]!.payload).not.toHaveProperty('recipient_id');
    expect(
      await db.selectFrom('contacts').select('id').where('channel', '=', channel.name).execute(),
    ).toHaveLength(1);
  });

  it('a marketing template is refused (422 marketing_opted_out) once the person stopped marketing messages', async () => {
    await postSigned(app, channel, userPreference(T + 1, { bsuid }, 'stop'));
    const send = (category: 'marketing' | 'utility') =>
      db.transaction().execute((tx) =>
        queueMessage(tx, {
          channel: channel.name,
          bsuid,
          message: { type: 'template', name: 'weekly_tips', language: 'en', category },
        }),
      );
    const refused = await send('marketing').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'marketing_opted_out', httpStatus: 422 });
    expect((refused as AppError).fields.map((f) => f.field)).toEqual(['message.category']);
    const utility = await send('utility');
    expect(utility.body).toMatchObject({ recipient: bsuid, template: { name: 'weekly_tips' } });
    expect(utility.body).not.toHaveProperty('template.category');
  });
});
