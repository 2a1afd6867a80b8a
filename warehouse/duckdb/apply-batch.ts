import type { DuckDBConnection } from '@duckdb/node-api';
import { stageBatchSql } from '../transform/stage-batch.js';
import { transformBatch } from '../transform/transform-batch.js';
import type { LogKey } from './log-page-reader.js';
import { type MirrorCursor, readCursor } from './warehouse-schema.js';

export interface AppliedBatch {
  events: number;
  cursor: MirrorCursor;
}

/**
 * Applies one batch in one DuckDB transaction: stage the rows, run the transform, move
 * `_mirror_cursor`. A crash at any point leaves either all of it or none of it, so restarting
 * from the stored cursor neither loses nor doubles a row. The batch must start after the
 * stored cursor and end at `last`; anything else (a page read for another cursor, a CSV
 * that lost rows) rolls back instead of corrupting the mirror.
 */
export async function applyBatch(
  connection: DuckDBConnection,
  source: string,
  last: LogKey,
): Promise<AppliedBatch> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const before = await readCursor(connection);
    await connection.run(stageBatchSql(source, before.logPosition));
    const bounds = await connection.runAndReadAll(
      `
      SELECT count(*)::BIGINT, arg_min(xid::VARCHAR, log_position), arg_min(event_id::VARCHAR, log_position),
        arg_max(xid::VARCHAR, log_position), arg_max(event_id::VARCHAR, log_position),
        bool_and((xid, event_id) > ($1::UBIGINT, $2::BIGINT))
      FROM _batch`,
      [before.xid, before.eventId],
    );
    const [count, , , lastXid, lastId, allAfter] = bounds.getRows()[0] ?? [];
    const events = Number(count ?? 0);
    if (events === 0) throw new Error('empty batch');
    if (allAfter !== true) {
      throw new Error(`batch does not start after the warehouse cursor (${before.xid}, ${before.eventId})`);
    }
    if (lastXid !== last.xid || lastId !== last.id) {
      throw new Error(`batch ends at (${lastXid}, ${lastId}), expected (${last.xid}, ${last.id})`);
    }
    await transformBatch(connection);
    const logPosition = before.logPosition + BigInt(events);
    await connection.run(
      'UPDATE _mirror_cursor SET xid = $1::UBIGINT, event_id = $2::BIGINT, log_position = $3::BIGINT, updated_at = now()',
      [last.xid, last.id, String(logPosition)],
    );
    await connection.run('COMMIT');
    return { events, cursor: { xid: last.xid, eventId: last.id, logPosition } };
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
}
