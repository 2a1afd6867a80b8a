import type pg from 'pg';
import type { MirrorCursor } from './warehouse-schema.js';

export type MirrorState = 'starting' | 'catching_up' | 'waiting' | 'idle' | 'error' | 'stopped';

/** What /health and the API show about the DuckDB mirror (a type, so it fits health sections' records). */
export type MirrorStatus = {
  ok: boolean;
  state: MirrorState;
  file: string;
  cursor: { xid: string; event_id: string; log_position: string } | null;
  /** Events committed after the cursor (capped at 100,000 to keep /health cheap). */
  lag_events: number;
  /** Age of the oldest event not yet in DuckDB; 0 when caught up. */
  lag_seconds: number;
  last_batch_at: string | null;
  last_checkpoint_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
};

export interface MirrorProgress {
  state: MirrorState;
  file: string;
  cursor: MirrorCursor | null;
  lastBatchAt: Date | null;
  lastCheckpointAt: Date | null;
  lastError: { message: string; at: Date } | null;
}

export async function mirrorStatus(pool: pg.Pool, progress: MirrorProgress): Promise<MirrorStatus> {
  let lagEvents = 0;
  let lagSeconds = 0;
  if (progress.cursor) {
    const { xid, eventId } = progress.cursor;
    const result = await pool.query<{ behind: string; oldest: Date | null }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE (xid, id) > ($1::xid8, $2::bigint) LIMIT 100000) b) AS behind,
              (SELECT recorded_at FROM events WHERE (xid, id) > ($1::xid8, $2::bigint) ORDER BY xid, id LIMIT 1) AS oldest`,
      [xid, eventId],
    );
    const row = result.rows[0];
    lagEvents = Number(row?.behind ?? 0);
    lagSeconds = row?.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0;
  }
  const recentError =
    progress.lastError && (!progress.lastBatchAt || progress.lastError.at > progress.lastBatchAt);
  return {
    ok: progress.state !== 'error' && progress.state !== 'stopped' && !recentError,
    state: progress.state,
    file: progress.file,
    cursor: progress.cursor && {
      xid: progress.cursor.xid,
      event_id: progress.cursor.eventId,
      log_position: String(progress.cursor.logPosition),
    },
    lag_events: lagEvents,
    lag_seconds: Math.round(lagSeconds * 1000) / 1000,
    last_batch_at: progress.lastBatchAt?.toISOString() ?? null,
    last_checkpoint_at: progress.lastCheckpointAt?.toISOString() ?? null,
    last_error: progress.lastError?.message ?? null,
    last_error_at: progress.lastError?.at.toISOString() ?? null,
  };
}
