// The routing engine's boundary: what api/ and other engines may call.
export { chooseOwner, type RouteCandidate, type RouteOwner } from './choose-owner.js';
export {
  type ClaimKind,
  type ConversationClaim,
  claimConversation,
  liveClaims,
  releaseConversation,
} from './conversation-claims.js';
export { type MessageForOwner, receivedEventsRoutedTo } from './routed-messages.js';
export {
  ROUTING_CONSUMER,
  type RoutedMessage,
  type RoutingOptions,
  routingConsumer,
} from './routing-consumer.js';
