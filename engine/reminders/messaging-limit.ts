import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

export interface MessagingAllowance {
  /** People that may still be started in the rolling 24 hours (Infinity when unlimited). */
  remaining: number;
  /** When the oldest start in the window leaves it, freeing one place (null when none). */
  freesAt: Date | null;
}

/**
 * Meta limits how many unique people a business portfolio may start conversations with (send
 * templates to, outside a window) in a rolling 24 hours: 250, 2,000, 10,000, 100,000 or
 * unlimited. Counted here from our own outbound templates of the last 24 hours.
 */
export async function messagingAllowance(
  db: DbOrTx,
  limit: number | null,
  now = new Date(),
): Promise<MessagingAllowance> {
  if (limit === null) return { remaining: Number.POSITIVE_INFINITY, freesAt: null };
  const since = new Date(now.getTime() - 24 * 3600_000);
  const result = await sql<{ people: string; oldest: Date | null }>`
    select count(distinct contact_id)::text as people, min(created_at) as oldest
    from messages
    where direction = 'outbound' and kind = 'template' and created_at > ${since}`.execute(db);
  const row = result.rows[0]!;
  const oldest = row.oldest ? new Date(row.oldest) : null;
  return {
    remaining: Math.max(0, limit - Number(row.people)),
    freesAt: oldest ? new Date(oldest.getTime() + 24 * 3600_000) : null,
  };
}
