import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * Who answers an inbound message. Routing (engine/routing) appends one `message.routed` for
 * every `message.received`, naming the single owner that may act on it; journeys, the inbox and
 * automations act only on messages routed to them, so a person never gets two answers.
 * `owner_kind` `nobody` means no part of Parley claimed it (it still shows in the inbox).
 */
export const routeOwnerKinds = [
  'journey_run',
  'operator_chat',
  'journey_trigger',
  'automation',
  'nobody',
] as const;
export type RouteOwnerKind = (typeof routeOwnerKinds)[number];

export const messageRoutedPayloadSchema = z.object({
  message_id: idString,
  /** The `message.received` event routed, so an owner reads the message exactly as it arrived. */
  received_event_id: idString,
  owner_kind: z.enum(routeOwnerKinds),
  /** The journey run, operator, journey or automation; null for nobody. */
  owner_id: z.string().min(1).nullable(),
});
export type MessageRoutedPayload = z.infer<typeof messageRoutedPayloadSchema>;

/** A journey run or an operator's chat takes (or gives back) a person's conversation. */
export const conversationClaimPayloadSchema = z.object({
  claim_id: idString,
  kind: z.enum(['journey_run', 'operator_chat']),
  owner_id: z.string().min(1),
});

export const routingEvents = [
  defineEvent('message.routed', messageRoutedPayloadSchema),
  defineEvent('conversation.claimed', conversationClaimPayloadSchema),
  defineEvent('conversation.released', conversationClaimPayloadSchema),
] as const;
