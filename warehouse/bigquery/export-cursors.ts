import type { DbOrTx } from '../../core/db/database.js';

export interface ExportCursor {
  dataset: string;
  tableName: string;
  exportedPosition: bigint;
  pendingTo: bigint | null;
  pendingAttempt: number;
  lastJobId: string | null;
  lastLoadAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Rebuilds of the dataset so far: part of every load job id (load-job-id.ts). */
  generation: number;
  /** A rebuild began: empty the table before the next load. */
  truncatePending: boolean;
}

/**
 * The export cursor of one table (sql/migrations/0006). Each step is its own statement so
 * that the state after a crash is always one of: no batch pending, a batch pending (its
 * job may or may not have run), or the batch committed.
 */
export async function readExportCursor(
  db: DbOrTx,
  dataset: string,
  tableName: string,
): Promise<ExportCursor> {
  await db
    .insertInto('bigquery_export_cursors')
    .values({ dataset, table_name: tableName })
    .onConflict((oc) => oc.columns(['dataset', 'table_name']).doNothing())
    .execute();
  const row = await db
    .selectFrom('bigquery_export_cursors')
    .selectAll()
    .where('dataset', '=', dataset)
    .where('table_name', '=', tableName)
    .executeTakeFirstOrThrow();
  return {
    dataset,
    tableName,
    exportedPosition: BigInt(row.exported_position),
    pendingTo: row.pending_to === null ? null : BigInt(row.pending_to),
    pendingAttempt: row.pending_attempt,
    lastJobId: row.last_job_id,
    lastLoadAt: row.last_load_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    generation: row.generation,
    truncatePending: row.truncate_pending,
  };
}

/** Records the batch about to be loaded; only when nothing is pending (a crash keeps the first). */
export async function markBatchPending(db: DbOrTx, cursor: ExportCursor, to: bigint): Promise<void> {
  await db
    .updateTable('bigquery_export_cursors')
    .set({ pending_to: to.toString(), pending_attempt: 0, updated_at: new Date() })
    .where('dataset', '=', cursor.dataset)
    .where('table_name', '=', cursor.tableName)
    .where('pending_to', 'is', null)
    .where('exported_position', '=', cursor.exportedPosition.toString())
    .execute();
}

/** The pending batch is in BigQuery: move the cursor past it. */
export async function commitBatch(db: DbOrTx, cursor: ExportCursor, jobId: string | null): Promise<void> {
  if (cursor.pendingTo === null) throw new Error('no batch is pending');
  await db
    .updateTable('bigquery_export_cursors')
    .set({
      exported_position: cursor.pendingTo.toString(),
      pending_to: null,
      pending_attempt: 0,
      last_job_id: jobId ?? cursor.lastJobId,
      last_load_at: jobId ? new Date() : cursor.lastLoadAt,
      last_error: null,
      updated_at: new Date(),
    })
    .where('dataset', '=', cursor.dataset)
    .where('table_name', '=', cursor.tableName)
    .where('pending_to', '=', cursor.pendingTo.toString())
    .execute();
}

/** A failure: remembered for status; `nextAttempt` bumps the job id when BigQuery ran and failed the job. */
export async function recordExportError(
  db: DbOrTx,
  cursor: ExportCursor,
  message: string,
  options: { nextAttempt: boolean },
): Promise<void> {
  await db
    .updateTable('bigquery_export_cursors')
    .set((eb) => ({
      last_error: message.slice(0, 2000),
      last_error_at: new Date(),
      pending_attempt: options.nextAttempt ? eb('pending_attempt', '+', 1) : eb.ref('pending_attempt'),
      updated_at: new Date(),
    }))
    .where('dataset', '=', cursor.dataset)
    .where('table_name', '=', cursor.tableName)
    .execute();
}

/**
 * Starts a rebuild of the dataset's export: every table back to position 0 in a new
 * generation, to be emptied by the exporter before its next load (sql/migrations/0012).
 * A batch of the old generation still loading cannot commit any more (its pending_to is gone),
 * and the truncation that follows it removes what it loaded. Returns the new generation.
 */
export async function startExportRebuild(
  db: DbOrTx,
  dataset: string,
  tableNames: readonly string[],
): Promise<number> {
  if (tableNames.length > 0) {
    // Tables never exported yet get their row too, so each is emptied and loaded alike.
    await db
      .insertInto('bigquery_export_cursors')
      .values(tableNames.map((tableName) => ({ dataset, table_name: tableName })))
      .onConflict((oc) => oc.columns(['dataset', 'table_name']).doNothing())
      .execute();
  }
  const rows = await db
    .updateTable('bigquery_export_cursors')
    .set((eb) => ({
      generation: eb('generation', '+', 1),
      truncate_pending: true,
      exported_position: '0',
      pending_to: null,
      pending_attempt: 0,
      last_error: null,
      last_error_at: null,
      updated_at: new Date(),
    }))
    .where('dataset', '=', dataset)
    .returning('generation')
    .execute();
  return Math.max(0, ...rows.map((r) => r.generation));
}

/** The table was emptied for `generation`: loads may start. */
export async function clearTruncatePending(db: DbOrTx, cursor: ExportCursor): Promise<void> {
  await db
    .updateTable('bigquery_export_cursors')
    .set({ truncate_pending: false, updated_at: new Date() })
    .where('dataset', '=', cursor.dataset)
    .where('table_name', '=', cursor.tableName)
    .where('generation', '=', cursor.generation)
    .execute();
}
