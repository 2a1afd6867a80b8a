import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import type { ErasedWamids } from './erased-wamids.js';
import type { InboundStatus } from './normalise-status.js';

export interface StatusMatch {
  messageId: string;
  contactId: string;
  /** The person was erased: the status is logged scrubbed (no recipient number). */
  contactErased: boolean;
}

/**
 * Finds the outbound messages of `channel` that statuses refer to: by wamid, or by our id
 * in biz_opaque_callback_data (`parley:<id>`, set by the sender) when the status arrives
 * before the sender recorded the wamid. An id match whose row already holds another wamid
 * is not ours. Wamids of erased people are looked up by their hash. Matched rows are locked in id order, so that concurrent webhooks about the
 * same messages queue instead of deadlocking. Returns one match or null per status.
 */
export async function matchStatuses(
  tx: DbOrTx,
  channel: string,
  statuses: readonly InboundStatus[],
  erased?: ErasedWamids,
): Promise<(StatusMatch | null)[]> {
  if (statuses.length === 0) return [];
  // A message of an erased person is stored under its wamid's hash (erased-wamids.ts).
  const stored = (wamid: string) => (erased?.erased.has(wamid) ? erased.hashOf(wamid) : wamid);
  const externalIds = [...new Set(statuses.map((s) => stored(s.externalId)))];
  const ids = [...new Set(statuses.flatMap((s) => (s.parleyMessageId ? [s.parleyMessageId] : [])))];
  const { rows } = await sql<{ id: string; external_id: string | null; contact_id: string; erased: boolean }>`
    select m.id::text, m.external_id, m.contact_id::text, c.erased_at is not null as erased
    from messages m join contacts c on c.id = m.contact_id
    where m.channel = ${channel} and m.direction = 'outbound'
      and (m.external_id = any(${externalIds}::text[]) or m.id = any(${ids}::bigint[]))
    order by m.id
    for update of m`.execute(tx);
  const byExternalId = new Map(rows.filter((r) => r.external_id !== null).map((r) => [r.external_id, r]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return statuses.map((s) => {
    let row = byExternalId.get(stored(s.externalId));
    if (!row && s.parleyMessageId) {
      const candidate = byId.get(s.parleyMessageId);
      if (candidate && (candidate.external_id === null || candidate.external_id === stored(s.externalId)))
        row = candidate;
    }
    return row ? { messageId: row.id, contactId: row.contact_id, contactErased: row.erased } : null;
  });
}
