import type { WarehouseTable } from '../tables/table-definition.js';
import { readExportCursor } from './export-cursors.js';
import { type ExportResources, mirrorPosition } from './export-table-batch.js';

/** What /health and the API show about the BigQuery export (a type, so it fits health sections). */
export type BigQueryExportStatus = {
  ok: boolean;
  dataset: string;
  /** The oldest table's cursor: every table holds the rows of the log up to this event. */
  last_exported_event: { log_position: string; event_id: string | null };
  /** Log positions the slowest table is behind the DuckDB mirror. */
  lag_events: number;
  /** Age of the oldest event not yet exported by every table; 0 when caught up. */
  lag_seconds: number;
  last_error: string | null;
  last_error_at: string | null;
  next_attempt_at: string | null;
  tables: {
    table: string;
    exported_position: string;
    pending_to: string | null;
    last_job_id: string | null;
    last_load_at: string | null;
    last_error: string | null;
  }[];
};

export async function bigQueryExportStatus(
  r: Pick<ExportResources, 'db' | 'reader' | 'datasetId'>,
  tables: readonly WarehouseTable[],
  loop: { lastError: { message: string; at: Date } | null; nextAttemptAt: Date | null },
): Promise<BigQueryExportStatus> {
  const cursors = [];
  for (const table of tables) cursors.push(await readExportCursor(r.db, r.datasetId, table.name));
  const head = await mirrorPosition(r.reader);
  // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take
  const oldest = cursors.reduce((min, c) => (c.exportedPosition < min ? c.exportedPosition : min), head);
  const [last] = await r.reader.query(
    'SELECT event_id::VARCHAR AS id FROM events_raw WHERE log_position = $1',
    [oldest],
  );
  let lagSeconds = 0;
  if (oldest < head) {
    const [next] = await r.reader.query(
      'SELECT epoch(recorded_at) AS at FROM events_raw WHERE log_position = $1',
      [oldest + 1n],
    );
    if (next) lagSeconds = Math.max(0, Math.round(Date.now() / 1000 - Number(next.at)));
  }
  const tableError = cursors.find((c) => c.lastError !== null);
  const lastError =
    loop.lastError ?? (tableError ? { message: tableError.lastError!, at: tableError.lastErrorAt! } : null);
  return {
    ok: lastError === null,
    dataset: r.datasetId,
    last_exported_event: { log_position: oldest.toString(), event_id: last ? String(last.id) : null },
    lag_events: Number(head - oldest),
    lag_seconds: lagSeconds,
    last_error: lastError?.message ?? null,
    last_error_at: lastError?.at.toISOString() ?? null,
    next_attempt_at: loop.nextAttemptAt?.toISOString() ?? null,
    tables: cursors.map((c) => ({
      table: c.tableName,
      exported_position: c.exportedPosition.toString(),
      pending_to: c.pendingTo?.toString() ?? null,
      last_job_id: c.lastJobId,
      last_load_at: c.lastLoadAt?.toISOString() ?? null,
      last_error: c.lastError,
    })),
  };
}
