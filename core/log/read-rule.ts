import type { LogCursor } from './reader.js';

const digits = /^\d+$/;

/**
 * The log's read rule, the one place it is written (DESIGN.md, "Data flow"): rows after the
 * cursor `(xid, id)` and below the visibility horizon, `xid < pg_snapshot_xmin(...)`. Every
 * transaction with an xid under the horizon has finished and no new row can get such an xid,
 * so nothing can later appear behind the cursor; identity ids alone do not follow commit
 * order and would skip a transaction that commits late. Read in `logReadOrder` (there is an
 * index on `(xid, id)`).
 *
 * Returned as SQL text because COPY (the warehouse's fast path) takes no bind parameters: the
 * cursor's two numbers are checked to be plain digits, so nothing else can reach the text.
 */
export function logReadRule(cursor: LogCursor, table = 'events'): string {
  if (!digits.test(cursor.xid) || !digits.test(cursor.id)) {
    throw new Error(`a log cursor is two decimal numbers, got (${cursor.xid}, ${cursor.id})`);
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  return `(${table}.xid, ${table}.id) > ('${cursor.xid}'::xid8, ${cursor.id}::bigint) and ${table}.xid < ${logHorizon}`;
}

/** The horizon: the oldest transaction still running anywhere on the server. */
export const logHorizon = 'pg_snapshot_xmin(pg_current_snapshot())';

export function logReadOrder(table = 'events', direction: 'asc' | 'desc' = 'asc'): string {
  return `${table}.xid ${direction}, ${table}.id ${direction}`;
}
