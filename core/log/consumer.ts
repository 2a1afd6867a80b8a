import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import { type LogCursor, readEvents, type StoredEvent } from './reader.js';

/**
 * A log consumer: a name, a durable cursor row, and a handler that applies a batch inside
 * the same transaction that advances the cursor. A crash before commit replays the batch;
 * after commit the batch is never seen again: each event is applied exactly once.
 */
export interface Consumer {
  name: string;
  /** Events per transaction; keep transactions short, they hold back every reader's horizon. */
  batchSize?: number;
  /** Hand the payload over as JSON text instead of parsed objects (faster for bulk copies). */
  payloadAsText?: boolean;
  /** Only these types reach the handler; the cursor still moves past the others. */
  types?: readonly string[];
  handle(tx: Tx, events: StoredEvent[]): Promise<void>;
}

export type BatchOutcome =
  | { kind: 'applied'; read: number; handled: number; cursor: LogCursor }
  | { kind: 'idle' }
  /** Committed events exist past the cursor but an older transaction still holds the horizon. */
  | { kind: 'waiting' }
  /** Another instance holds this consumer's cursor row right now. */
  | { kind: 'busy' };

/** Ensures the consumer's cursor row exists, starting at the beginning of the log. */
export async function registerConsumer(db: Db, name: string): Promise<void> {
  await db
    .insertInto('consumer_cursors')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Runs one batch. The cursor row is locked with SKIP LOCKED, so one instance at a time
 * processes a consumer and the others see `busy` instead of waiting.
 */
export async function runConsumerBatch(db: Db, consumer: Consumer): Promise<BatchOutcome> {
  return db.transaction().execute(async (tx) => {
    const locked = await sql<{ xid: string; event_id: string }>`
      select xid::text as xid, event_id from consumer_cursors
      where name = ${consumer.name} for update skip locked`.execute(tx);
    const row = locked.rows[0];
    if (!row) {
      const exists = await tx
        .selectFrom('consumer_cursors')
        .select('name')
        .where('name', '=', consumer.name)
        .executeTakeFirst();
      if (!exists) throw new Error(`consumer ${consumer.name} is not registered`);
      return { kind: 'busy' } as const;
    }
    const events = await readEvents(
      tx,
      { xid: row.xid, id: row.event_id },
      {
        limit: consumer.batchSize ?? 500,
        payloadAsText: consumer.payloadAsText,
      },
    );
    const last = events.at(-1);
    if (!last) {
      const pending = await sql<{ waiting: boolean }>`
        select exists (
          select 1 from events where (xid, id) > (${row.xid}::xid8, ${row.event_id}::bigint)
        ) as waiting`.execute(tx);
      return pending.rows[0]?.waiting ? ({ kind: 'waiting' } as const) : ({ kind: 'idle' } as const);
    }
    const types = consumer.types;
    const relevant = types ? events.filter((e) => types.includes(e.type)) : events;
    if (relevant.length > 0) await consumer.handle(tx, relevant);
    await sql`
      update consumer_cursors
      set xid = ${last.xid}::xid8, event_id = ${last.id}, applied_count = applied_count + ${relevant.length},
          updated_at = now(), last_error = null, last_error_at = null
      where name = ${consumer.name}`.execute(tx);
    return {
      kind: 'applied',
      read: events.length,
      handled: relevant.length,
      cursor: { xid: last.xid, id: last.id },
    } as const;
  });
}

/** Records why a batch failed, outside the failed transaction, for /health and operators. */
export async function recordConsumerError(db: Db, name: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db
    .updateTable('consumer_cursors')
    .set({ last_error: message.slice(0, 2000), last_error_at: new Date() })
    .where('name', '=', name)
    .execute();
}
