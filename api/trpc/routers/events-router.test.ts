import { afterAll, describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import { createLiveEventFeed } from '../../../core/log/live-event-feed.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, testServices } from '../test-support.js';

const database = await createTestDatabase();
const { db } = database;
const liveFeed = createLiveEventFeed({ db, databaseUrl: database.url, pollIntervalMs: 200 });
afterAll(() => liveFeed.stop());
const services = testServices(db, { liveFeed });

function received(waId: string, text: string, contactId = '1') {
  return {
    type: 'message.received' as const,
    source: 'simulator',
    channel: 'simulator',
    contact_id: contactId,
    payload: {
      message_id: '1',
      external_id: `wamid.${text}`,
      wa_id: waId,
      profile_name: 'Thandi Mokoena',
      message_type: 'text',
      timestamp: new Date().toISOString(),
      text,
      raw: { from: waId },
    },
  };
}

/** Reads the next `n` items of a subscription, failing after 10 s. */
async function take<T>(iterator: AsyncIterator<T>, n: number): Promise<T[]> {
  const items: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${items.length} of ${n} events arrived`)), 10_000);
  });
  try {
    while (items.length < n) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      items.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return items;
}

describe('events.onNew (live updates)', () => {
  it('streams new events the member may see, masked, with resumable ids', async () => {
    const operator = await createMember(db, 'operator');
    const admin = await createMember(db, 'admin');
    const abort = new AbortController();
    const { caller } = callerFor(services, operator.actor, { signal: abort.signal });
    const stream = (await caller.events.onNew({}))[Symbol.asyncIterator]();
    const pending = take(stream, 2);

    // An operator event (needs audit.read) is not shown to an operator; the two messages are.
    await db.transaction().execute(async (tx) => {
      await append(tx, [received('27821234512', 'first')]);
      const { audit } = await import('../../auth/audit.js');
      await audit(tx, admin.actor, { action: 'setting.change', target: { kind: 'setting', id: 'x' } });
    });
    await append(db, [received('27821234512', 'second')]);
    const items = await pending;
    abort.abort();

    const [first, second] = items as unknown as [
      string,
      { type: string; payload: Record<string, unknown> },
    ][];
    expect(first![0]).toMatch(/^\d+:\d+$/);
    expect(first![1]).toMatchObject({ type: 'message.received', channel: 'simulator', contact_id: '1' });
    expect(first![1].payload).toEqual({
      message_id: '1',
      external_id: 'wamid.first',
      wa_id: '+27 *******12',
      profile_name: 'T*** M***',
      message_type: 'text',
      timestamp: expect.any(String),
      text: 'first',
    });
    expect(second![1].payload.text).toBe('second');

    // Reconnecting with the first event's id (Last-Event-ID) replays from there: the second message again.
    const reconnect = new AbortController();
    const resumed = (
      await callerFor(services, operator.actor, { signal: reconnect.signal }).caller.events.onNew({
        lastEventId: first![0],
      })
    )[Symbol.asyncIterator]();
    const [again] = (await take(resumed, 1)) as unknown as [string, { payload: { text: string } }][];
    reconnect.abort();
    expect(again![0]).toBe(second![0]);
    expect(again![1].payload.text).toBe('second');
  });

  it('filters by contact and type, and shows operator events to an admin', async () => {
    const admin = await createMember(db, 'admin');
    const abort = new AbortController();
    const { caller } = callerFor(services, admin.actor, { signal: abort.signal });
    const byContact = (await caller.events.onNew({ contactId: '7' }))[Symbol.asyncIterator]();
    const byType = (await caller.events.onNew({ types: ['operator.action'] }))[Symbol.asyncIterator]();
    const contactItems = take(byContact, 1);
    const typeItems = take(byType, 1);
    await append(db, [received('27820000001', 'someone else', '6'), received('27820000007', 'mine', '7')]);
    await db.transaction().execute(async (tx) => {
      const { audit } = await import('../../auth/audit.js');
      await audit(tx, admin.actor, { action: 'setting.change', target: { kind: 'setting', id: 'y' } });
    });
    const mine = ((await contactItems) as unknown as [string, { payload: { text: string } }][])[0]?.[1];
    const op = (
      (await typeItems) as unknown as [string, { type: string; payload: { action: string } }][]
    )[0]?.[1];
    abort.abort();
    expect(mine?.payload.text).toBe('mine');
    expect(op).toMatchObject({ type: 'operator.action', payload: { action: 'setting.change' } });
  });

  it('needs a signed-in member', async () => {
    await expect(callerFor(services, null).caller.events.onNew({})).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
