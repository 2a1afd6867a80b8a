import { sql } from 'kysely';
import type { Tx } from '../../core/db/database.js';
import {
  type MessageReceivedPayload,
  messageReceivedPayloadSchema,
} from '../../core/log/events/message.schema.js';
import { messageRoutedPayloadSchema, type RouteOwnerKind } from '../../core/log/events/routing.schema.js';

export interface MessageForOwner {
  routedEventId: string;
  contactId: string | null;
  channel: string | null;
  received: MessageReceivedPayload;
}

/**
 * Of a batch of `message.routed` events, the messages routed to this owner, each with the
 * inbound message as it arrived (read back from its `message.received` event in one query).
 * Owners call this from their consumers, so they act on their own messages only.
 */
export async function receivedEventsRoutedTo(
  tx: Tx,
  events: readonly { id: string; contact_id: string | null; channel: string | null; payload: unknown }[],
  owner: { kind: RouteOwnerKind; id?: string },
): Promise<MessageForOwner[]> {
  const mine = events.flatMap((event) => {
    const routed = messageRoutedPayloadSchema.parse(event.payload);
    const matches =
      routed.owner_kind === owner.kind && (owner.id === undefined || routed.owner_id === owner.id);
    return matches ? [{ event, routed }] : [];
  });
  if (mine.length === 0) return [];
  const ids = mine.map((m) => m.routed.received_event_id);
  const received = await sql<{ id: string; payload: unknown }>`
    select id, payload from events where id = any(${ids}::bigint[]) and type = 'message.received'`.execute(
    tx,
  );
  const byId = new Map(received.rows.map((row) => [row.id, row.payload]));
  return mine.map(({ event, routed }) => {
    const payload = byId.get(routed.received_event_id);
    if (payload === undefined) throw new Error(`message.received ${routed.received_event_id} is missing`);
    return {
      routedEventId: event.id,
      contactId: event.contact_id,
      channel: event.channel,
      received: messageReceivedPayloadSchema.parse(payload),
    };
  });
}
