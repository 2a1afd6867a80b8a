import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createNotifications } from './notifications.js';

const database = await createTestDatabase();

function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = () => (check() ? resolve() : setTimeout(tick, 5));
    tick();
  });
}

describe('notifications', () => {
  it('delivers each NOTIFY to every subscriber of its channel, on one connection', async () => {
    const hub = createNotifications({ databaseUrl: database.url });
    await hub.ready();
    const a: (string | undefined)[] = [];
    const b: (string | undefined)[] = [];
    const c: (string | undefined)[] = [];
    hub.subscribe('parley_events', (p) => a.push(p));
    hub.subscribe('parley_events', (p) => b.push(p));
    const off = hub.subscribe('parley_jobs', (p) => c.push(p));
    // Subscribing after the connection is up still LISTENs on it.
    await hub.ready();
    await database.pool.query("select pg_notify('parley_events', 'one'), pg_notify('parley_jobs', 'two')");
    await waitFor(() => a.length === 1 && b.length === 1 && c.length === 1);
    expect([a, b, c]).toEqual([['one'], ['one'], ['two']]);
    const listeners = await database.pool.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
    );
    expect(Number(listeners.rows[0]?.n)).toBe(1);
    off();
    await database.pool.query("select pg_notify('parley_jobs', 'three'), pg_notify('parley_events', 'four')");
    await waitFor(() => a.length === 2);
    expect(c).toEqual(['two']);
    await hub.stop();
  });

  it('reconnects after its connection is killed, and wakes every subscriber once it is back', async () => {
    const hub = createNotifications({ databaseUrl: database.url, reconnectDelayMs: 10 });
    const seen: (string | undefined)[] = [];
    hub.subscribe('parley_events', (p) => seen.push(p));
    await hub.ready();
    const killed = await database.pool.query<{ ok: boolean }>(
      "select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
    );
    expect(killed.rows.map((r) => r.ok)).toEqual([true]);
    // The reconnect wakes subscribers with no payload: a NOTIFY sent while down is lost.
    await waitFor(() => seen.length === 1 && hub.connected());
    expect(seen).toEqual([undefined]);
    await database.pool.query("select pg_notify('parley_events', 'after')");
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([undefined, 'after']);
    await hub.stop();
    expect(hub.connected()).toBe(false);
  });
});
