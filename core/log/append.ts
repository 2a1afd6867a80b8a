import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { AppError, fieldErrorsFromZod } from '../errors.js';
import { eventSchema, type NewEvent, type ValidEvent } from './event.schema.js';

export interface AppendResult {
  /** Ids of the appended events, in input order; null where the event was a duplicate. */
  ids: (string | null)[];
  appended: number;
  /** Input positions whose idempotency key was already in the log (or earlier in the batch). */
  duplicates: number[];
}

/**
 * Validates every event, then appends them in one statement inside the caller's
 * transaction, so they commit (or not) with the state change they record. Events whose
 * (source, idempotency_key) is already present are skipped and reported, never an error:
 * channels deliver at least once. Listeners are woken by the table's NOTIFY trigger when
 * the transaction commits.
 */
export async function append(tx: DbOrTx, events: readonly NewEvent[]): Promise<AppendResult> {
  if (events.length === 0) return { ids: [], appended: 0, duplicates: [] };
  const valid = validateEvents(events);

  const columns = {
    type: [] as string[],
    version: [] as number[],
    occurredAt: [] as string[],
    contactId: [] as (string | null)[],
    channel: [] as (string | null)[],
    source: [] as string[],
    key: [] as (string | null)[],
    payload: [] as string[],
  };
  const now = new Date().toISOString();
  for (const event of valid) {
    columns.type.push(event.type);
    columns.version.push(event.schema_version);
    columns.occurredAt.push(event.occurred_at?.toISOString() ?? now);
    columns.contactId.push(event.contact_id == null ? null : String(event.contact_id));
    columns.channel.push(event.channel ?? null);
    columns.source.push(event.source);
    columns.key.push(event.idempotency_key ?? null);
    columns.payload.push(JSON.stringify(event.payload));
  }

  // unnest keeps one round trip for any batch size; ORDER BY ord makes identity ids follow
  // input order, which is how ids are mapped back to positions below.
  const result = await sql<{ id: string; source: string; idempotency_key: string | null }>`
    insert into events (type, schema_version, occurred_at, contact_id, channel, source, idempotency_key, payload)
    select type, version, occurred_at, contact_id, channel, source, key, payload::jsonb
    from unnest(
      ${columns.type}::text[], ${columns.version}::int[], ${columns.occurredAt}::timestamptz[],
      ${columns.contactId}::bigint[], ${columns.channel}::text[], ${columns.source}::text[],
      ${columns.key}::text[], ${columns.payload}::text[]
    ) with ordinality as e(type, version, occurred_at, contact_id, channel, source, key, payload, ord)
    order by ord
    on conflict (source, idempotency_key) where idempotency_key is not null do nothing
    returning id, source, idempotency_key`.execute(tx);

  const rows = [...result.rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const insertedKeys = new Set(
    rows.filter((r) => r.idempotency_key !== null).map((r) => `${r.source}\u0000${r.idempotency_key}`),
  );
  const ids: (string | null)[] = [];
  const duplicates: number[] = [];
  const claimed = new Set<string>();
  let next = 0;
  valid.forEach((event, index) => {
    const key = event.idempotency_key;
    if (key != null) {
      const composite = `${event.source}\u0000${key}`;
      if (!insertedKeys.has(composite) || claimed.has(composite)) {
        ids.push(null);
        duplicates.push(index);
        return;
      }
      claimed.add(composite);
    }
    ids.push(rows[next++]?.id ?? null);
  });
  return { ids, appended: rows.length, duplicates };
}

/** Parses every event; one error lists every invalid field as `index.path`. */
export function validateEvents(events: readonly NewEvent[]): ValidEvent[] {
  const valid: ValidEvent[] = [];
  const fields: { field: string; reason: string }[] = [];
  events.forEach((event, index) => {
    const parsed = eventSchema.safeParse(event);
    if (parsed.success) valid.push(parsed.data);
    else {
      for (const f of fieldErrorsFromZod(parsed.error.issues)) {
        fields.push({ field: `${index}.${f.field}`, reason: f.reason });
      }
    }
  });
  if (fields.length > 0) {
    throw new AppError(
      'validation_failed',
      `invalid event(s): ${fields.map((f) => `${f.field}: ${f.reason}`).join('; ')}`,
      fields,
    );
  }
  return valid;
}
