import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import type { InboundStatus } from './normalise-status.js';

export interface StatusMatch {
  messageId: string;
  contactId: string;
}

/**
 * Finds the outbound messages of `channel` that statuses refer to: by wamid, or by our id
 * in biz_opaque_callback_data (`parley:<id>`, set by the sender) when the status arrives
 * before the sender recorded the wamid. An id match whose row already holds another wamid
 * is not ours. Matched rows are locked in id order, so that concurrent webhooks about the
 * same messages queue instead of deadlocking. Returns one match or null per status.
 */
export async function matchStatuses(
  tx: DbOrTx,
  channel: string,
  statuses: readonly InboundStatus[],
): Promise<(StatusMatch | null)[]> {
  if (statuses.length === 0) return [];
  const externalIds = [...new Set(statuses.map((s) => s.externalId))];
  const ids = [...new Set(statuses.flatMap((s) => (s.parleyMessageId ? [s.parleyMessageId] : [])))];
  const { rows } = await sql<{ id: string; external_id: string | null; contact_id: string }>`
    select id::text, external_id, contact_id::text from messages
    where channel = ${channel} and direction = 'outbound'
      and (external_id = any(${externalIds}::text[]) or id = any(${ids}::bigint[]))
    order by id
    for update`.execute(tx);
  const byExternalId = new Map(rows.filter((r) => r.external_id !== null).map((r) => [r.external_id, r]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return statuses.map((s) => {
    let row = byExternalId.get(s.externalId);
    if (!row && s.parleyMessageId) {
      const candidate = byId.get(s.parleyMessageId);
      if (candidate && (candidate.external_id === null || candidate.external_id === s.externalId))
        row = candidate;
    }
    return row ? { messageId: row.id, contactId: row.contact_id } : null;
  });
}
