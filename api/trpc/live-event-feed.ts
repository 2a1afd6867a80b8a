import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../../core/db/database.js';
import { type LogCursor, readEvents, type StoredEvent } from '../../core/log/reader.js';

/**
 * The in-process bus behind live updates (tRPC subscriptions over SSE): one reader per
 * instance follows the log below the xid horizon (so it never skips a late commit), woken by
 * LISTEN parley_events, and keeps the most recent events in memory. Each subscriber keeps its
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
  databaseUrl: string;
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
  let waiters: (() => void)[] = [];
  let listener: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pulling: Promise<void> | undefined;
  let again = false;

  async function start() {
    const head = await sql<{ xid: string; id: string }>`
      select xid::text as xid, id::text as id from events
      where xid < pg_snapshot_xmin(pg_current_snapshot())
      order by events.xid desc, events.id desc limit 1`.execute(options.db);
    cursor = head.rows[0] ?? { xid: '0', id: '0' };
    bufferStart = cursor;
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on('error', () => {
      if (listener === client) listener = undefined;
    });
    client.on('notification', () => wake());
    try {
      await client.connect();
      await client.query('listen parley_events');
      listener = client;
    } catch {
      await client.end().catch(() => {});
    }
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
      for (const resolve of waiters.splice(0)) resolve();
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
        waiters.push(() => resolve(!stopped));
        signal?.addEventListener('abort', () => resolve(true), { once: true });
      });
    },
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pulling;
      for (const resolve of waiters.splice(0)) resolve();
      waiters = [];
      buffer = [];
      await listener?.end().catch(() => {});
    },
  };
}

export function compare(a: LogCursor, b: LogCursor): number {
  const x = BigInt(a.xid) - BigInt(b.xid);
  if (x !== 0n) return x < 0n ? -1 : 1;
  const y = BigInt(a.id) - BigInt(b.id);
  return y === 0n ? 0 : y < 0n ? -1 : 1;
}
