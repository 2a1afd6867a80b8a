import { getEventListeners } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createNotifications } from '../db/notifications.js';
import { append } from './append.js';
import { createLiveEventFeed } from './live-event-feed.js';

const database = await createTestDatabase();
const { db } = database;
const notifications = createNotifications({ databaseUrl: database.url });
const feed = createLiveEventFeed({ db, notifications, pollIntervalMs: 200 });
afterAll(async () => {
  await feed.stop();
  await notifications.stop();
});

function reset(n: number) {
  return db.transaction().execute((tx) =>
    append(tx, [
      {
        type: 'simulator.reset',
        source: 'simulator',
        channel: 'simulator',
        payload: { wa_id: `2782${n}` },
      },
    ]),
  );
}

describe('live event feed', () => {
  it('leaves no abort listener behind on a subscription that waits many times', async () => {
    const subscription = new AbortController();
    let since = await feed.position();
    for (let n = 0; n < 15; n++) {
      await reset(n);
      expect(await feed.changed(since, subscription.signal)).toBe(true);
      const events = await feed.after(since);
      expect(events.map((e) => e.payload)).toEqual([{ wa_id: `2782${n}` }]);
      since = { xid: events.at(-1)!.xid, id: events.at(-1)!.id };
    }
    expect(getEventListeners(subscription.signal, 'abort')).toHaveLength(0);
  });

  it('an abort ends the wait and removes its listener', async () => {
    const subscription = new AbortController();
    const since = await feed.position();
    const waiting = feed.changed(since, subscription.signal);
    expect(getEventListeners(subscription.signal, 'abort')).toHaveLength(1);
    subscription.abort();
    expect(await waiting).toBe(true);
    expect(getEventListeners(subscription.signal, 'abort')).toHaveLength(0);
  });
});
