import { append } from '../../core/log/append.js';
import type { Consumer } from '../../core/log/consumer.js';
import { defineConsumer } from '../../core/log/define-consumer.js';
import type { MessageReceivedPayload } from '../../core/log/events/message.schema.js';
import { chooseOwner, type RouteCandidate } from './choose-owner.js';
import { liveClaims } from './conversation-claims.js';

export const ROUTING_CONSUMER = 'engine.routing';

/** What a trigger or automation sees of a message when routing decides. */
export interface RoutedMessage {
  channel: string | null;
  contactId: string | null;
  received: MessageReceivedPayload;
}

export interface RoutingOptions {
  /** Journey triggers, in priority order (the journeys engine supplies them). */
  triggers?: readonly RouteCandidate<RoutedMessage>[];
  /** Automations, in priority order (the default reply is one). */
  automations?: readonly RouteCandidate<RoutedMessage>[];
}

/**
 * The consumer that gives every inbound message exactly one owner (choose-owner.ts) and appends
 * `message.routed` in the same transaction as its cursor, so a crash replays the decision and
 * the idempotency key keeps it single. Owners consume `message.routed`, never
 * `message.received`, so two parts of Parley can never both answer one message.
 */
export function routingConsumer(options: RoutingOptions = {}): Consumer {
  const triggers = options.triggers ?? [];
  const automations = options.automations ?? [];
  return defineConsumer({
    name: ROUTING_CONSUMER,
    types: ['message.received'],
    batchSize: 200,
    async handle(tx, events) {
      const contactIds = [...new Set(events.flatMap((e) => (e.contact_id ? [e.contact_id] : [])))];
      const claims = await liveClaims(tx, contactIds);
      const routed = events.map((event) => {
        // defineConsumer parsed the payload: one that does not parse fails the batch (retried and
        // shown in /health) rather than being routed nowhere in silence.
        const received = event.payload;
        const owner = chooseOwner<RoutedMessage>(
          { channel: event.channel, contactId: event.contact_id, received },
          {
            claims: claims.filter((c) => c.contact_id === event.contact_id),
            triggers,
            automations,
          },
        );
        return {
          type: 'message.routed' as const,
          source: 'routing',
          idempotency_key: `routed:${event.id}`,
          contact_id: event.contact_id,
          channel: event.channel,
          occurred_at: event.occurred_at,
          payload: {
            message_id: received.message_id,
            received_event_id: event.id,
            owner_kind: owner.kind,
            owner_id: owner.id,
          },
        };
      });
      await append(tx, routed);
    },
  });
}
