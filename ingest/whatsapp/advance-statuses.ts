import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import type { StatusMatch } from './match-statuses.js';
import type { InboundStatus } from './normalise-status.js';
import { deliveryStatusOrder, statusRank } from './status-rank.js';

/**
 * Moves each matched message's status forward to the highest-ranked status of the batch,
 * in one statement. The rank is compared again in SQL against the row as it is now, so a
 * status that arrives late, or twice, never moves a message backwards (status-rank.ts).
 * Returns how many messages changed.
 */
export async function advanceStatuses(
  tx: DbOrTx,
  statuses: readonly InboundStatus[],
  matches: readonly (StatusMatch | null)[],
): Promise<number> {
  const best = new Map<string, InboundStatus>();
  statuses.forEach((status, i) => {
    const match = matches[i];
    if (!match || statusRank(status.status) === 0) return;
    const current = best.get(match.messageId);
    if (!current || statusRank(status.status) > statusRank(current.status)) best.set(match.messageId, status);
  });
  if (best.size === 0) return 0;
  const entries = [...best.entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const order = [...deliveryStatusOrder];
  const result = await sql`
    update messages m set status = u.status, status_at = u.status_at,
      error_code = u.error_code, error_title = u.error_title
    from unnest(
      ${entries.map(([id]) => id)}::bigint[], ${entries.map(([, s]) => s.status)}::text[],
      ${entries.map(([, s]) => s.occurredAt.toISOString())}::timestamptz[],
      ${entries.map(([, s]) => s.error?.code ?? null)}::int[], ${entries.map(([, s]) => s.error?.title ?? null)}::text[]
    ) as u(id, status, status_at, error_code, error_title)
    where m.id = u.id
      and coalesce(array_position(${order}::text[], u.status), 0)
        > coalesce(array_position(${order}::text[], m.status), 0)`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}
