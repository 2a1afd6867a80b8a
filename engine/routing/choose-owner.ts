import type { RouteOwnerKind } from '../../core/log/events/routing.schema.js';
import type { ConversationClaim } from './conversation-claims.js';

export interface RouteOwner {
  kind: RouteOwnerKind;
  id: string | null;
}

/** A journey trigger or an automation that may take a message nobody holds. */
export interface RouteCandidate<M> {
  id: string;
  matches(message: M): boolean;
}

/**
 * The one priority that decides who answers an inbound message:
 *
 * 1. a journey run in progress (the person is answering the journey's question);
 * 2. an operator's open chat (a human took the conversation; a keyword in what the person
 *    types must not pull them into a journey mid-chat, which is why this ranks above triggers);
 * 3. the first journey trigger that matches, in the order triggers are given;
 * 4. the first automation that matches (the default reply is one);
 * 5. nobody: the message is stored and shown, and no part of Parley answers it.
 */
export function chooseOwner<M>(
  message: M,
  options: {
    claims: readonly Pick<ConversationClaim, 'kind' | 'owner_id'>[];
    triggers: readonly RouteCandidate<M>[];
    automations: readonly RouteCandidate<M>[];
  },
): RouteOwner {
  for (const kind of ['journey_run', 'operator_chat'] as const) {
    const claim = options.claims.find((c) => c.kind === kind);
    if (claim) return { kind, id: claim.owner_id };
  }
  const trigger = options.triggers.find((t) => t.matches(message));
  if (trigger) return { kind: 'journey_trigger', id: trigger.id };
  const automation = options.automations.find((a) => a.matches(message));
  if (automation) return { kind: 'automation', id: automation.id };
  return { kind: 'nobody', id: null };
}
