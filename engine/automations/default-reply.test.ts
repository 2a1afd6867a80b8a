import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { runUntilIdle } from '../../test/setup/run-until-idle.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { routingConsumer } from '../routing/index.js';
import {
  DEFAULT_REPLY_CONSUMER,
  type DefaultReplyOptions,
  defaultReplyAutomation,
  defaultReplyConsumer,
} from './default-reply.js';

const { db } = await createTestDatabase();

let n = 0;
/** What the webhook side stores for one inbound message: contact, message row, message.received. */
async function receive(channel: string, content: Record<string, unknown>, at = new Date()) {
  n += 1;
  const waId = String(27_860_000_000 + n);
  return db.transaction().execute(async (tx) => {
    const contact = await tx
      .insertInto('contacts')
      .values({ channel, wa_id: waId, last_inbound_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = await tx
      .insertInto('messages')
      .values({
        channel,
        contact_id: contact.id,
        direction: 'inbound',
        kind: 'text',
        external_id: `wamid.in${n}`,
        status: 'received',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await append(tx, [
      {
        type: 'message.received',
        source: channel,
        channel,
        contact_id: contact.id,
        payload: {
          message_id: message.id,
          external_id: `wamid.in${n}`,
          wa_id: waId,
          message_type: 'text',
          timestamp: at.toISOString(),
          raw: {},
          ...content,
        },
      },
    ]);
    return { contactId: contact.id, waId };
  });
}

/** Routes what arrived (the default reply as the only automation), then lets the reply answer. */
async function answer(options: DefaultReplyOptions) {
  await runUntilIdle(db, routingConsumer({ automations: [defaultReplyAutomation(options)] }));
  await runUntilIdle(db, defaultReplyConsumer(options));
}

async function repliesTo(contactId: string) {
  const rows = await sql<{
    source: string;
    payload: { body: Record<string, unknown>; attribution: unknown; text: string };
  }>`
    select source, payload from events where type = 'message.queued' and contact_id = ${contactId} order by id`.execute(
    db,
  );
  return rows.rows;
}

describe('automation.default-reply', () => {
  it('answers a simulator message once, echoing it with Menu and Help buttons, and never again on replay', async () => {
    const { contactId, waId } = await receive('simulator', { text: 'hello there' });
    expect(defaultReplyConsumer({ defaultReply: undefined }).name).toBe(DEFAULT_REPLY_CONSUMER);
    await answer({ defaultReply: undefined });
    await answer({ defaultReply: undefined });
    const replies = await repliesTo(contactId);
    expect(replies.length).toBe(1);
    expect(replies[0]!.source).toBe('automation');
    expect(replies[0]!.payload.attribution).toStrictEqual({ automation: 'default-reply' });
    expect(replies[0]!.payload.body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Got it: hello there' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'menu', title: 'Menu' } },
            { type: 'reply', reply: { id: 'help', title: 'Help' } },
          ],
        },
      },
      biz_opaque_callback_data: expect.stringMatching(/^parley:\d+$/),
    });
    const outbox = await db
      .selectFrom('outbox')
      .select(['state', 'channel'])
      .where('to_wa_id', '=', waId)
      .execute();
    expect(outbox).toEqual([{ state: 'pending', channel: 'simulator' }]);
  });

  it('opens the menu list when the Menu button is tapped', async () => {
    const { contactId } = await receive('simulator', {
      message_type: 'interactive',
      interactive: { type: 'button_reply', id: 'menu', title: 'Menu' },
    });
    await answer({ defaultReply: undefined });
    const [reply] = await repliesTo(contactId);
    expect((reply!.payload.body.interactive as { type: string }).type).toBe('list');
    expect(reply!.payload.text).toBe('What would you like to try?');
  });

  it('stays silent on a WhatsApp number unless PARLEY_DEFAULT_REPLY is set', async () => {
    const silent = await receive('whatsapp', { text: 'hi' });
    await answer({ defaultReply: undefined });
    expect(await repliesTo(silent.contactId)).toEqual([]);
  });

  it('sends the configured text on every channel when PARLEY_DEFAULT_REPLY is set', async () => {
    const onWhatsApp = await receive('whatsapp', { text: 'hi' });
    const onSimulator = await receive('simulator', { text: 'hi' });
    await answer({ defaultReply: 'Thanks, we will answer soon.' });
    for (const { contactId } of [onWhatsApp, onSimulator]) {
      const replies = await repliesTo(contactId);
      expect(replies.map((r) => r.payload.body.text)).toEqual([{ body: 'Thanks, we will answer soon.' }]);
    }
  });

  it('skips a message whose 24-hour window has closed instead of failing the batch', async () => {
    const old = await receive('simulator', { text: 'from yesterday' }, new Date(Date.now() - 25 * 3600_000));
    const fresh = await receive('simulator', { text: 'today' });
    await answer({ defaultReply: undefined });
    expect(await repliesTo(old.contactId)).toEqual([]);
    expect((await repliesTo(fresh.contactId)).map((r) => r.payload.text)).toEqual(['Got it: today']);
  });
});
