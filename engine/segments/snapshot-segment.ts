import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import type { Mirror } from '../../warehouse/duckdb/mirror.js';
import { normaliseSegmentSql, type SegmentCaller } from './segment-query.js';
import { getSegment } from './segments-store.js';

/** The parts of the mirror segments use. */
export type SegmentMirror = Pick<Mirror, 'sandbox' | 'status' | 'drain' | 'query'>;

/** The mirror bound to the caller's `pii.read` (segment-query.ts). */
export type SnapshotWarehouse = SegmentMirror & SegmentCaller;

export interface SegmentSnapshot {
  id: string;
  segmentId: string;
  count: number;
  sqlHash: string;
  logPosition: string;
  requestedBy: string;
  createdAt: string;
}

/** Members per INSERT statement (Postgres allows 65,535 parameters; unnest takes one array). */
const chunk = 50_000;

/**
 * Materialises a segment's membership for a send. It first waits until the
 * mirror has applied every event committed before the call (drain), so a person imported just
 * before is included, then runs the SQL on a view at least that fresh, and writes the snapshot,
 * its members and the segment.snapshot event in one transaction.
 */
export async function snapshotSegment(
  db: DbOrTx,
  warehouse: SnapshotWarehouse,
  segmentId: string,
  by: string,
  options: { timeoutMs?: number; maxMembers?: number } = {},
): Promise<SegmentSnapshot> {
  const segment = await getSegment(db, segmentId);
  if (segment.archivedAt) throw new AppError('conflict', `segment ${segmentId} is archived`);
  await warehouse.drain();
  const position = (await warehouse.status()).cursor?.log_position ?? '0';
  const segmentSql = normaliseSegmentSql(segment.sql);
  const maxMembers = options.maxMembers ?? 5_000_000;
  const result = await warehouse.sandbox(segmentSql, {
    canReadPii: warehouse.canReadPii,
    timeoutMs: options.timeoutMs ?? 60_000,
    rowLimit: maxMembers,
    minLogPosition: position,
    wrap: {
      before: 'SELECT DISTINCT TRY_CAST(segment.contact_id AS BIGINT)::VARCHAR AS contact_id FROM (',
      after: '\n) segment WHERE TRY_CAST(segment.contact_id AS BIGINT) IS NOT NULL ORDER BY 1',
    },
  });
  if (result.truncated) throw new AppError('bad_request', `the segment has more than ${maxMembers} members`);
  const members = result.rows.map((r) => String(r.contact_id));
  const sqlHash = createHash('sha256').update(segmentSql).digest('hex');
  const run = async (tx: Tx) => {
    const snapshot = await tx
      .insertInto('segment_snapshots')
      .values({
        segment_id: segmentId,
        count: members.length,
        sql_hash: sqlHash,
        log_position: result.logPosition,
        requested_by: by,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    for (let i = 0; i < members.length; i += chunk) {
      await sql`insert into segment_snapshot_members (snapshot_id, contact_id)
        select ${snapshot.id}::bigint, unnest(${members.slice(i, i + chunk)}::bigint[])`.execute(tx);
    }
    await append(tx, [
      {
        type: 'segment.snapshot',
        source: 'engine',
        payload: {
          segment_id: segmentId,
          snapshot_id: snapshot.id,
          count: members.length,
          sql_hash: sqlHash,
          log_position: result.logPosition,
          by,
        },
      },
    ]);
    return {
      id: snapshot.id,
      segmentId,
      count: members.length,
      sqlHash,
      logPosition: result.logPosition,
      requestedBy: by,
      createdAt: snapshot.created_at.toISOString(),
    };
  };
  return db.isTransaction ? run(db as Tx) : db.transaction().execute(run);
}
