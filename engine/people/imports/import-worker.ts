import { sql } from 'kysely';
import type { Db } from '../../../core/db/database.js';
import { type Notifications, notificationsFor } from '../../../core/db/notifications.js';
import { applyImportChunk } from './apply-import-chunk.js';

export interface ImportWorkerOptions {
  db: Db;
  /** Wakes the worker on NOTIFY parley_imports (sent on start); else its own hub on `databaseUrl`; else it polls. */
  notifications?: Notifications;
  databaseUrl?: string;
  /** Rows per transaction. Default 1,000. */
  chunkSize?: number;
  /** How long a claimed import is kept from other workers between chunks. Default 60 s. */
  leaseMs?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface ImportWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  wake(): void;
}

/**
 * The durable background job of CSV imports: claims a queued (or abandoned running) import
 * with a lease, then applies it chunk by chunk (applyImportChunk), renewing the lease with
 * each chunk. A worker that dies leaves the lease to expire and another (or the restarted
 * one) continues from the last committed chunk. Failures are retried; an import that keeps
 * failing on the same chunk is marked failed with the error.
 */
export function createImportWorker(options: ImportWorkerOptions): ImportWorker {
  const chunkSize = options.chunkSize ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollIntervalMs ?? 1000;
  let stopped = true;
  let loop: Promise<void> | undefined;
  let release: (() => Promise<void>) | undefined;
  let unsubscribe: (() => void) | undefined;
  let signal: (() => void) | undefined;
  let woken = false;

  function wake() {
    woken = true;
    signal?.();
  }

  function sleep(ms: number) {
    if (woken || stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal = undefined;
        resolve();
      }
      signal = done;
    });
  }

  async function claim(): Promise<string | undefined> {
    const result = await sql<{ id: string }>`
      update contact_imports set status = 'running', claimed_until = now() + ${`${leaseMs} milliseconds`}::interval,
        started_at = coalesce(started_at, now())
      where id = (
        select id from contact_imports
        where status in ('queued', 'running') and (claimed_until is null or claimed_until < now())
        order by id limit 1 for update skip locked)
      returning id`.execute(options.db);
    return result.rows[0]?.id;
  }

  async function renew(id: string) {
    await sql`update contact_imports set claimed_until = now() + ${`${leaseMs} milliseconds`}::interval
      where id = ${id} and status = 'running'`.execute(options.db);
  }

  async function run(id: string) {
    let failures = 0;
    while (!stopped) {
      try {
        const more = await applyImportChunk(options.db, id, chunkSize);
        failures = 0;
        if (!more) return;
        await renew(id);
      } catch (error) {
        options.onError?.(error);
        if (++failures >= 5) {
          await options.db
            .updateTable('contact_imports')
            .set({
              status: 'failed',
              error: (error as Error).message,
              finished_at: new Date(),
              claimed_until: null,
            })
            .where('id', '=', id)
            .execute();
          return;
        }
        await sleep(200 * failures);
      }
    }
  }

  async function main() {
    while (!stopped) {
      woken = false;
      try {
        const id = await claim();
        if (id) {
          await run(id);
          continue;
        }
      } catch (error) {
        options.onError?.(error);
      }
      await sleep(pollMs);
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      const shared = notificationsFor(options);
      release = shared.release;
      unsubscribe = shared.hub?.subscribe('parley_imports', () => wake());
      await shared.hub?.ready();
      loop = main();
    },
    async stop() {
      stopped = true;
      signal?.();
      await loop;
      unsubscribe?.();
      await release?.();
      unsubscribe = undefined;
      release = undefined;
    },
    wake,
  };
}
