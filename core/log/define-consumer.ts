import type { z } from 'zod';
import type { Tx } from '../db/database.js';
import type { Consumer } from './consumer.js';
import { type EventType, eventSchema, type ValidEvent } from './event.schema.js';
import { laterEventVersions } from './event-versions.js';
import type { StoredEvent } from './reader.js';

/** The stored columns every event has, besides what its schema types. */
interface StoredColumns {
  id: string;
  xid: string;
  occurred_at: Date;
  recorded_at: Date;
  contact_id: string | null;
  channel: string | null;
  idempotency_key: string | null;
}

/**
 * An event of type T as a consumer receives it: parsed once against its schema, so `payload`
 * is typed, and a `switch (event.type)` narrows it. `schema_version` tells versions apart.
 */
export type TypedEvent<T extends EventType = EventType> = T extends EventType
  ? Omit<Extract<ValidEvent, { type: T }>, 'contact_id' | 'channel' | 'occurred_at' | 'idempotency_key'> &
      StoredColumns
  : never;

export interface TypedConsumerDefinition<T extends EventType> {
  name: string;
  /** The event types this consumer reacts to; the cursor moves past all others. */
  types: readonly T[];
  batchSize?: number;
  handle(tx: Tx, events: TypedEvent<T>[]): Promise<void>;
}

/** An event of a subscribed type that this code cannot read: the batch fails and says why. */
export class UnreadableEventError extends Error {}

/**
 * A log consumer whose events are parsed once, here, against the event schemas (version 1 in
 * event.schema.ts, later versions in event-versions.ts). An event of a subscribed type that
 * does not parse, or has a schema_version this code does not know, is NOT skipped: the batch
 * fails with UnreadableEventError, the runner records it in consumer_cursors.last_error
 * (shown in /health) and retries with backoff, so a deploy that forgot a version is seen
 * instead of silently dropping events. The only events left out are those of a person who was
 * erased: their payloads were scrubbed on purpose (core/log/erase-contact.ts).
 */
export function defineConsumer<T extends EventType>(definition: TypedConsumerDefinition<T>): Consumer {
  return {
    name: definition.name,
    types: definition.types,
    batchSize: definition.batchSize,
    async handle(tx, stored) {
      const typed: TypedEvent<T>[] = [];
      const unreadable: { event: StoredEvent; reason: string }[] = [];
      for (const event of stored) {
        const parsed = parseStoredEvent(event);
        if (parsed.ok) typed.push(parsed.event as TypedEvent<T>);
        else unreadable.push({ event, reason: parsed.reason });
      }
      if (unreadable.length > 0) {
        const contactIds = [
          ...new Set(unreadable.map((u) => u.event.contact_id).filter((id) => id !== null)),
        ];
        const erased = new Set(
          contactIds.length === 0
            ? []
            : (
                await tx
                  .selectFrom('contacts')
                  .select('id')
                  .where('id', 'in', contactIds)
                  .where('erased_at', 'is not', null)
                  .execute()
              ).map((r) => r.id),
        );
        const first = unreadable.find((u) => u.event.contact_id === null || !erased.has(u.event.contact_id));
        if (first) {
          throw new UnreadableEventError(
            `consumer ${definition.name} cannot read event ${first.event.id} (${first.event.type} schema_version ${first.event.schema_version}): ${first.reason}`,
          );
        }
      }
      if (typed.length > 0) await definition.handle(tx, typed);
    },
  };
}

function parseStoredEvent(
  event: StoredEvent,
): { ok: true; event: TypedEvent } | { ok: false; reason: string } {
  const columns: StoredColumns = {
    id: event.id,
    xid: event.xid,
    occurred_at: event.occurred_at,
    recorded_at: event.recorded_at,
    contact_id: event.contact_id,
    channel: event.channel,
    idempotency_key: event.idempotency_key,
  };
  if (event.schema_version === 1) {
    const parsed = eventSchema.safeParse({ type: event.type, source: event.source, payload: event.payload });
    if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
    return { ok: true, event: { ...parsed.data, schema_version: 1, ...columns } as TypedEvent };
  }
  const payloadSchema = laterEventVersions.find(
    (v) => v.type === event.type && v.version === event.schema_version,
  )?.payload;
  if (!payloadSchema) return { ok: false, reason: 'this schema_version is unknown to this code' };
  const parsed = payloadSchema.safeParse(event.payload);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
  return {
    ok: true,
    event: {
      type: event.type,
      source: event.source,
      schema_version: event.schema_version,
      payload: parsed.data,
      ...columns,
    } as TypedEvent,
  };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'event'}: ${i.message}`)
    .join('; ');
}
