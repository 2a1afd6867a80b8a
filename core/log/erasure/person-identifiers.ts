import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { phoneForms } from './phone-forms.js';

export interface PersonIdentifiers {
  /** The wa_id (phone digits) the person had, if it was not already erased. */
  waId: string | null;
  /** Every WhatsApp message id of their messages, in and out. */
  wamids: string[];
  /** Business-scoped user ids, parent BSUIDs and usernames, where the contact has them. */
  bsuids: string[];
  usernames: string[];
  /**
   * LIKE patterns (already escaped, with `%`) that find the person in text naming no
   * contact: the number in every form (phone-forms.ts), each wamid, BSUID and username.
   */
  patterns: string[];
}

/**
 * Every identifier of a person, read before the erasure blanks them. The identity columns
 * (bsuid, parent_bsuid, username) are read from the row as JSON, so this keeps working
 * whether or not the contacts table has them yet.
 */
export async function personIdentifiers(
  tx: Tx,
  contact: { id: string; wa_id: string | null },
): Promise<PersonIdentifiers> {
  const row = await sql<{ c: Record<string, unknown> }>`
    select to_jsonb(c) as c from contacts c where id = ${contact.id}`.execute(tx);
  const columns = row.rows[0]?.c ?? {};
  const text = (key: string) => (typeof columns[key] === 'string' ? [columns[key] as string] : []);
  const waId = contact.wa_id === null || contact.wa_id.startsWith('erased:') ? null : contact.wa_id;
  const messages = await tx
    .selectFrom('messages')
    .select('external_id')
    .where('contact_id', '=', contact.id)
    .where('external_id', 'is not', null)
    .execute();
  const wamids = messages.map((m) => m.external_id!).filter((w) => !w.startsWith('hmac:'));
  const bsuids = [...text('bsuid'), ...text('parent_bsuid')];
  const usernames = text('username');
  const literal = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const patterns = [
    ...(waId ? phoneForms(waId) : []),
    ...wamids,
    ...bsuids,
    // A username alone is too short and common to search as free text: only where a payload
    // binds it to the key Meta uses.
    ...usernames.map((u) => `"username": ${JSON.stringify(u)}`),
  ].map(literal);
  return { waId, wamids, bsuids, usernames, patterns };
}
