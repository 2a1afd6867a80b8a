import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import {
  type ContactRow,
  createContact as createContactRow,
  getContact,
  updateContact as updateContactRow,
} from '../../engine/people/index.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../auth/audit.js';
import { maskBsuid, maskName, maskPhone, maskUsername } from '../auth/mask.js';

/** A contact as the API shows it; `masked` says whether wa_id and name were masked. */
export interface ContactView extends ContactRow {
  masked: boolean;
}

/** Personal data is masked unless `reveal` (the caller has pii.read and chose to see it). */
export function presentContact(row: ContactRow, reveal: boolean): ContactView {
  if (reveal) return { ...row, masked: false };
  const hide = (value: string | null, mask: (v: string) => string) => (value === null ? null : mask(value));
  return {
    ...row,
    wa_id: hide(row.wa_id, maskPhone),
    bsuid: hide(row.bsuid, maskBsuid),
    parent_bsuid: hide(row.parent_bsuid, maskBsuid),
    username: hide(row.username, maskUsername),
    name: hide(row.name, maskName),
    masked: true,
  };
}

/** Who changed a contact, as `contact.updated` records it. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'token' ? `api_token:${actor.tokenId}` : `user:${actor.userId}`;
}

export function createContact(
  db: DbOrTx,
  _actor: Actor,
  input: { channel: string; wa_id?: string; bsuid?: string; name?: string | null },
  channels: readonly string[],
): Promise<ContactRow> {
  return createContactRow(db, input, channels);
}

export function updateContact(
  db: DbOrTx,
  actor: Actor,
  id: string,
  patch: { name?: string | null },
): Promise<ContactRow> {
  return updateContactRow(db, actorLabel(actor), id, patch);
}

/** Shows a contact's personal data, and records who looked: seeing personal data is itself an audited act. */
export async function revealContact(
  db: DbOrTx,
  actor: Actor,
  id: string,
  reason?: string,
): Promise<ContactView> {
  return inTransaction(db, async (tx) => {
    const row = await getContact(tx, id);
    await audit(tx, actor, {
      action: 'pii.reveal',
      target: { kind: 'contact', id },
      contactId: id,
      channel: row.channel,
      details: {
        fields: ['wa_id', 'bsuid', 'parent_bsuid', 'username', 'name'],
        ...(reason ? { reason } : {}),
      },
    });
    return presentContact(row, true);
  });
}
