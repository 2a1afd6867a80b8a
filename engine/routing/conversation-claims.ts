import type { Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';

export type ClaimKind = 'journey_run' | 'operator_chat';

export interface ConversationClaim {
  id: string;
  contact_id: string;
  kind: ClaimKind;
  owner_id: string;
  claimed_at: Date;
}

/**
 * A journey run starting, or an operator opening a chat, takes the person's conversation:
 * from then on routing hands their messages to that owner. One live claim per person and kind
 * (a unique index); claiming again for the same owner is a no-op, for another owner an error.
 */
export async function claimConversation(
  tx: Tx,
  claim: { contactId: string; kind: ClaimKind; ownerId: string },
): Promise<ConversationClaim> {
  const inserted = await tx
    .insertInto('conversation_claims')
    .values({ contact_id: claim.contactId, kind: claim.kind, owner_id: claim.ownerId })
    .onConflict((oc) => oc.columns(['contact_id', 'kind']).where('released_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) {
    const live = await liveClaim(tx, claim.contactId, claim.kind);
    if (live && live.owner_id === claim.ownerId) return live;
    throw new AppError(
      'conflict',
      `the conversation is already held by ${claim.kind} ${live?.owner_id ?? '?'}`,
    );
  }
  await append(tx, [
    {
      type: 'conversation.claimed',
      source: 'engine',
      contact_id: claim.contactId,
      payload: { claim_id: inserted.id, kind: claim.kind, owner_id: claim.ownerId },
    },
  ]);
  return inserted;
}

/** Gives the conversation back (a run ends, a chat is closed); false when there was no such claim. */
export async function releaseConversation(
  tx: Tx,
  claim: { contactId: string; kind: ClaimKind; ownerId: string },
): Promise<boolean> {
  const released = await tx
    .updateTable('conversation_claims')
    .set({ released_at: new Date() })
    .where('contact_id', '=', claim.contactId)
    .where('kind', '=', claim.kind)
    .where('owner_id', '=', claim.ownerId)
    .where('released_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!released) return false;
  await append(tx, [
    {
      type: 'conversation.released',
      source: 'engine',
      contact_id: claim.contactId,
      payload: { claim_id: released.id, kind: claim.kind, owner_id: claim.ownerId },
    },
  ]);
  return true;
}

/** The live claims of these people, for routing a batch in one query. */
export async function liveClaims(tx: Tx, contactIds: readonly string[]): Promise<ConversationClaim[]> {
  if (contactIds.length === 0) return [];
  return tx
    .selectFrom('conversation_claims')
    .select(['id', 'contact_id', 'kind', 'owner_id', 'claimed_at'])
    .where('contact_id', 'in', [...contactIds])
    .where('released_at', 'is', null)
    .execute();
}

async function liveClaim(tx: Tx, contactId: string, kind: ClaimKind) {
  return tx
    .selectFrom('conversation_claims')
    .select(['id', 'contact_id', 'kind', 'owner_id', 'claimed_at'])
    .where('contact_id', '=', contactId)
    .where('kind', '=', kind)
    .where('released_at', 'is', null)
    .executeTakeFirst();
}
