import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../core/db/schema.js';
import { scrubContactLog } from '../../core/log/erase-contact.js';
import type { HistoryEvent } from './random-history.js';

/**
 * Writes generated events straight into the log table, bypassing append()'s validation on
 * purpose: histories include event types and payloads no schema knows yet, which the mirror
 * must carry to events_raw without failing. A contact.erased is written as eraseContact
 * writes it: in one transaction with the scrub of the person's earlier events.
 */
export async function insertHistory(
  db: pg.Pool | pg.PoolClient,
  events: readonly HistoryEvent[],
): Promise<void> {
  if (events.length === 0) return;
  if (!events.some((e) => e.type === 'contact.erased')) return insertPlain(db, events);
  if (!('totalCount' in db)) throw new Error('insertHistory: a history with erasures needs a pool');
  // Never destroyed: destroying it would end the caller's pool.
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: db }) });
  await kysely.transaction().execute(async (tx) => {
    let run: HistoryEvent[] = [];
    for (const event of events) {
      if (event.type === 'contact.erased' && event.contact_id !== null) {
        await insertRows(tx, run);
        run = [];
        const { links } = await scrubContactLog(tx, String(event.contact_id));
        run.push(links.length === 0 ? event : { ...event, payload: { ...(event.payload as object), links } });
        continue;
      }
      run.push(event);
    }
    await insertRows(tx, run);
  });
}

async function insertRows(tx: Transaction<Database>, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    insert into events (type, schema_version, occurred_at, contact_id, channel, source, idempotency_key, payload)
    select type, version, occurred_at, contact_id, channel, source, key, payload::jsonb
    from unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.schema_version)}::int[],
      ${events.map((e) => e.occurred_at.toISOString())}::timestamptz[], ${events.map((e) => e.contact_id)}::bigint[],
      ${events.map((e) => e.channel)}::text[], ${events.map((e) => e.source)}::text[],
      ${events.map((e) => e.idempotency_key)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::text[])
      with ordinality as e(type, version, occurred_at, contact_id, channel, source, key, payload, ord)
    order by ord
    on conflict (source, idempotency_key) where idempotency_key is not null do nothing`.execute(tx);
}

async function insertPlain(db: pg.Pool | pg.PoolClient, events: readonly HistoryEvent[]): Promise<void> {
  await db.query(
    `insert into events (type, schema_version, occurred_at, contact_id, channel, source, idempotency_key, payload)
     select type, version, occurred_at, contact_id, channel, source, key, payload::jsonb
     from unnest($1::text[], $2::int[], $3::timestamptz[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])
       with ordinality as e(type, version, occurred_at, contact_id, channel, source, key, payload, ord)
     order by ord
     on conflict (source, idempotency_key) where idempotency_key is not null do nothing`,
    [
      events.map((e) => e.type),
      events.map((e) => e.schema_version),
      events.map((e) => e.occurred_at.toISOString()),
      events.map((e) => e.contact_id),
      events.map((e) => e.channel),
      events.map((e) => e.source),
      events.map((e) => e.idempotency_key),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
}

/** Bulk load for the benchmark: COPY ... FROM STDIN, one transaction per call. */
export async function copyHistory(
  client: pg.PoolClient | pg.Client,
  events: Iterable<HistoryEvent>,
): Promise<number> {
  let count = 0;
  const stream = client.query(
    copyFrom(
      'COPY events (type, schema_version, occurred_at, contact_id, channel, source, idempotency_key, payload) FROM STDIN WITH (FORMAT csv)',
    ),
  );
  async function* lines() {
    let chunk = '';
    for (const e of events) {
      count++;
      chunk += `${csv(e.type)},${e.schema_version},${e.occurred_at.toISOString()},${e.contact_id ?? ''},${csv(e.channel)},${csv(e.source)},${csv(e.idempotency_key)},${csv(JSON.stringify(e.payload))}\n`;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(lines, stream);
  return count;
}

function csv(value: string | null): string {
  return value === null ? '' : `"${value.replaceAll('"', '""')}"`;
}
