import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { type Notifications, notificationsFor } from '../db/notifications.js';
import { logHorizon, logReadOrder } from './read-rule.js';
import { type LogCursor, readEvents, type StoredEvent } from './reader.js';

/**
 * The in-process bus behind live updates (tRPC subscriptions over SSE): one reader per
 * instance follows the log below the xid horizon (so it never skips a late commit), woken by
 * NOTIFY parley_events on the process's shared LISTEN connection, and keeps the most recent events in memory. Each subscriber keeps its
 * own (xid, id) cursor: it takes events from the buffer, or reads the log itself when it is
 * further behind (a reconnect with Last-Event-ID), so nothing is lost between the two.
 * Not a durable consumer: every instance must see every event for its own subscribers.
 */
export interface LiveEventFeed {
  /** The feed's position; a new subscriber starts here. */
  position(): Promise<LogCursor>;
  /** Events after `cursor`: from memory when buffered, else from the log (limit 500). */
  after(cursor: LogCursor): Promise<StoredEvent[]>;
  /**
   * Resolves once the feed is past `since` (at once if it already is) or `signal` aborts;
   * false when the feed has stopped (the server is closing): subscriptions then end.
   */
  changed(since: LogCursor, signal?: AbortSignal): Promise<boolean>;
  wake(): void;
  stop(): Promise<void>;
}

export function createLiveEventFeed(options: {
  db: Db;
  /** The process's shared LISTEN connection; without it, one of its own on `databaseUrl`. */
  notifications?: Notifications;
  databaseUrl?: string;
  bufferSize?: number;
  pollIntervalMs?: number;
}): LiveEventFeed {
  const bufferSize = options.bufferSize ?? 2_000;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  let started: Promise<void> | undefined;
  let stopped = false;
  let cursor: LogCursor = { xid: '0', id: '0' };
  /** Events in (bufferStart, cursor], in log order. */
  let bufferStart: LogCursor = cursor;
  let buffer: StoredEvent[] = [];
  let waiters = new Set<() => void>();
  let release: (() => Promise<void>) | undefined;
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pulling: Promise<void> | undefined;
  let again = false;

  async function start() {
    const head = await sql<{ xid: string; id: string }>`
      select xid::text as xid, id::text as id from events
      where xid < ${sql.raw(logHorizon)}
      order by ${sql.raw(logReadOrder('events', 'desc'))} limit 1`.execute(options.db);
    cursor = head.rows[0] ?? { xid: '0', id: '0' };
    bufferStart = cursor;
    const shared = notificationsFor(options);
    release = shared.release;
    unsubscribe = shared.hub?.subscribe('parley_events', () => wake());
    await shared.hub?.ready();
    schedule(pollIntervalMs);
  }

  function ensureStarted() {
    started ??= start();
    return started;
  }

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(wake, delay);
    timer.unref?.();
  }

  function wake() {
    if (stopped || !started) return;
    if (pulling) {
      again = true;
      return;
    }
    pulling = pull()
      .catch(() => schedule(pollIntervalMs))
      .finally(() => {
        pulling = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  function wakeWaiters() {
    const woken = [...waiters];
    waiters.clear();
    for (const resolve of woken) resolve();
  }

  async function pull() {
    for (;;) {
      const events = await readEvents(options.db, cursor, { limit: 500 });
      if (events.length === 0) break;
      buffer.push(...events);
      cursor = { xid: events.at(-1)!.xid, id: events.at(-1)!.id };
      if (buffer.length > bufferSize) {
        const dropped = buffer.splice(0, buffer.length - bufferSize);
        bufferStart = { xid: dropped.at(-1)!.xid, id: dropped.at(-1)!.id };
      }
      wakeWaiters();
      if (events.length < 500) break;
    }
    // Committed events above the horizon wait for an older transaction: look again soon.
    const pending = await sql<{ waiting: boolean }>`
      select exists (select 1 from events where (xid, id) > (${cursor.xid}::xid8, ${cursor.id}::bigint)) as waiting`.execute(
      options.db,
    );
    schedule(pending.rows[0]?.waiting ? 50 : pollIntervalMs);
  }

  return {
    async position() {
      await ensureStarted();
      return cursor;
    },
    async after(from) {
      await ensureStarted();
      if (compare(from, bufferStart) >= 0) return buffer.filter((e) => compare(e, from) > 0);
      return readEvents(options.db, from, { limit: 500 });
    },
    changed(since, signal) {
      return new Promise<boolean>((resolve) => {
        if (stopped) return resolve(false);
        if (signal?.aborted || compare(cursor, since) > 0) return resolve(true);
        // Whichever comes first removes the other: a subscription waits once per change for
        // as long as it lives, so a listener left on its signal per wait would pile up.
        const onAbort = () => {
          waiters.delete(waiter);
          resolve(true);
        };
        const waiter = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(!stopped);
        };
        waiters.add(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pulling;
      wakeWaiters();
      waiters = new Set();
      buffer = [];
      unsubscribe?.();
      await release?.();
    },
  };
}

export function compare(a: LogCursor, b: LogCursor): number {
  const x = BigInt(a.xid) - BigInt(b.xid);
  if (x !== 0n) return x < 0n ? -1 : 1;
  const y = BigInt(a.id) - BigInt(b.id);
  return y === 0n ? 0 : y < 0n ? -1 : 1;
}
