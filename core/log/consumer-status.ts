import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';

export interface ConsumerStatus {
  name: string;
  /** Id of the last event applied. */
  event_id: string;
  applied_count: number;
  /** Events committed after the cursor (capped at 100,000 to keep /health cheap). */
  lag_events: number;
  /** Seconds between the oldest unapplied event's recording and now; 0 when caught up. */
  lag_seconds: number;
  updated_at: Date;
  last_error: string | null;
  last_error_at: Date | null;
}

export async function consumerStatuses(db: DbOrTx): Promise<ConsumerStatus[]> {
  const result = await sql<{
    name: string;
    event_id: string;
    applied_count: string;
    lag_events: string;
    oldest_unapplied: Date | null;
    updated_at: Date;
    last_error: string | null;
    last_error_at: Date | null;
  }>`
    select c.name, c.event_id, c.applied_count, c.updated_at, c.last_error, c.last_error_at,
      (select count(*) from (select 1 from events e where (e.xid, e.id) > (c.xid, c.event_id) limit 100000) behind)
        as lag_events,
      (select min(e.recorded_at) from (
         select recorded_at from events e where (e.xid, e.id) > (c.xid, c.event_id) order by e.xid, e.id limit 1
       ) e) as oldest_unapplied
    from consumer_cursors c
    order by c.name`.execute(db);
  const now = Date.now();
  return result.rows.map((r) => ({
    name: r.name,
    event_id: r.event_id,
    applied_count: Number(r.applied_count),
    lag_events: Number(r.lag_events),
    lag_seconds: r.oldest_unapplied ? Math.max(0, (now - r.oldest_unapplied.getTime()) / 1000) : 0,
    updated_at: r.updated_at,
    last_error: r.last_error,
    last_error_at: r.last_error_at,
  }));
}
