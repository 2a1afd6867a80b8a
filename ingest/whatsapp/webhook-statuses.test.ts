import { afterAll, describe, expect, it } from 'vitest';
import { erasureSecret } from '../../core/log/erasure/erasure-secret.js';
import { identifierHash } from '../../core/log/erasure/identifier-hash.js';
import {
  eventsAfter,
  lastEventId,
  postSigned,
  testChannel,
  webhookApp,
} from '../../test/fixtures/whatsapp/webhook-app.js';
import { statusWebhook } from '../../test/fixtures/whatsapp/webhook-bodies.js';
import { createTestDatabase } from '../../test/setup/test-database.js';

const database = await createTestDatabase();
const { db } = database;
const channel = testChannel();
const app = await webhookApp(database, [channel]);
afterAll(async () => {
  await app.close();
});

const T = 1732521600;
let sequence = 0;
const nextWamid = () => `wamid.status-test-${++sequence}`;

describe('statuses of our outbound messages', () => {
  async function outbound(externalId: string | null) {
    const contact = await db
      .insertInto('contacts')
      .values({ channel: 'whatsapp', wa_id: `2783100${++sequence}`, name: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return db
      .insertInto('messages')
      .values({
        channel: 'whatsapp',
        contact_id: contact.id,
        direction: 'outbound',
        kind: 'text',
        external_id: externalId,
        status: 'queued',
      })
      .returning(['id', 'contact_id'])
      .executeTakeFirstOrThrow();
  }
  const row = (id: string) =>
    db
      .selectFrom('messages')
      .select(['status', 'status_at', 'error_code', 'error_title'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const status = (id: string, name: string, time: number, extra: Record<string, unknown> = {}) => ({
    id,
    status: name,
    timestamp: String(time),
    recipient_id: '27831000000',
    ...extra,
  });
  const failed = { errors: [{ code: 131026, title: 'Message undeliverable' }] };

  it('statuses arriving out of order never move a message backwards', async () => {
    const wamid = nextWamid();
    const message = await outbound(wamid);
    const before = await lastEventId(db);
    for (const [name, time] of [
      ['read', T + 30],
      ['delivered', T + 20],
      ['sent', T + 10],
    ] as const) {
      expect((await postSigned(app, channel, statusWebhook(status(wamid, name, time)))).statusCode).toBe(200);
    }
    expect(await row(message.id)).toEqual({
      status: 'read',
      status_at: new Date((T + 30) * 1000),
      error_code: null,
      error_title: null,
    });
    // Every status is still logged, matched to the message and its contact.
    const events = await eventsAfter(db, before);
    expect(
      events.map((e) => [
        (e.payload as { status: string }).status,
        (e.payload as { message_id: string }).message_id,
        e.contact_id,
      ]),
    ).toEqual([
      ['read', message.id, message.contact_id],
      ['delivered', message.id, message.contact_id],
      ['sent', message.id, message.contact_id],
    ]);
  });

  it('failed wins over sent and delivered, in either order, but not over read', async () => {
    const [a, b, c] = [nextWamid(), nextWamid(), nextWamid()];
    const [ma, mb, mc] = [await outbound(a), await outbound(b), await outbound(c)];
    await postSigned(app, channel, statusWebhook(status(a, 'delivered', T + 1)));
    await postSigned(app, channel, statusWebhook(status(a, 'failed', T + 2, failed)));
    await postSigned(app, channel, statusWebhook(status(b, 'failed', T + 2, failed)));
    await postSigned(app, channel, statusWebhook(status(b, 'delivered', T + 1)));
    await postSigned(app, channel, statusWebhook(status(c, 'read', T + 3)));
    await postSigned(app, channel, statusWebhook(status(c, 'failed', T + 2, failed)));
    const failedRow = {
      status: 'failed',
      status_at: new Date((T + 2) * 1000),
      error_code: 131026,
      error_title: 'Message undeliverable',
    };
    expect(await row(ma.id)).toEqual(failedRow);
    expect(await row(mb.id)).toEqual(failedRow);
    expect(await row(mc.id)).toEqual({
      status: 'read',
      status_at: new Date((T + 3) * 1000),
      error_code: null,
      error_title: null,
    });
  });

  it('in one webhook the furthest status wins; a retried status webhook stores nothing', async () => {
    const wamid = nextWamid();
    const message = await outbound(wamid);
    const body = statusWebhook(
      status(wamid, 'delivered', T + 2),
      status(wamid, 'sent', T + 1),
      status(wamid, 'deleted', T + 3),
    );
    expect((await postSigned(app, channel, body)).json()).toEqual({
      messages: 0,
      statuses: 3,
      updates: 0,
      unrecognised: 0,
      duplicates: 0,
    });
    expect((await row(message.id)).status).toBe('delivered');
    expect((await postSigned(app, channel, body)).json()).toEqual({
      messages: 0,
      statuses: 0,
      updates: 0,
      unrecognised: 0,
      duplicates: 3,
    });
  });

  it('matches by parley:<id> in biz_opaque_callback_data before the sender recorded the wamid', async () => {
    const message = await outbound(null);
    const other = await outbound('wamid.someone-else');
    const before = await lastEventId(db);
    await postSigned(
      app,
      channel,
      statusWebhook(
        status(nextWamid(), 'sent', T + 5, { biz_opaque_callback_data: `parley:${message.id}` }),
        status(nextWamid(), 'sent', T + 5, { biz_opaque_callback_data: `parley:${other.id}` }),
      ),
    );
    const events = await eventsAfter(db, before);
    expect(events.map((e) => (e.payload as { message_id: string | null }).message_id)).toEqual([
      message.id,
      null,
    ]);
    expect((await row(message.id)).status).toBe('sent');
    expect((await row(other.id)).status).toBe('queued');
  });

  it("a late status of an erased person's message is logged without their number", async () => {
    const wamid = nextWamid();
    const message = await outbound(wamid);
    await db
      .updateTable('contacts')
      .set({ erased_at: new Date() })
      .where('id', '=', message.contact_id)
      .execute();
    const before = await lastEventId(db);
    const late = status(wamid, 'read', T + 90, {
      conversation: { id: 'c-1', origin: { type: 'marketing' } },
      pricing: { billable: true, pricing_model: 'PMP', category: 'marketing' },
    });
    expect((await postSigned(app, channel, statusWebhook(late))).statusCode).toBe(200);
    const [event] = await eventsAfter(db, before);
    expect(event!.contact_id).toBe(message.contact_id);
    // The wamid encodes the number too: logged as its keyed hash, as the erasure left the others.
    const hashed = identifierHash(await erasureSecret(db), 'wamid', wamid);
    expect(event!.idempotency_key).toBe(`status:${hashed}:read`);
    expect((event!.payload as { external_id: string }).external_id).toBe(hashed);
    expect(JSON.stringify(event!.payload)).not.toContain('27831000000');
    expect(JSON.stringify(event!.payload)).not.toContain(wamid);
    expect(Object.keys(event!.payload as object).sort()).toEqual(
      ['conversation', 'external_id', 'message_id', 'pricing', 'status', 'timestamp'].sort(),
    );
    expect((event!.payload as { message_id: string }).message_id).toBe(message.id);
    expect((await row(message.id)).status).toBe('read');
  });
});
