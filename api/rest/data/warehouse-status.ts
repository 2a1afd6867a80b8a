import { AppError } from '../../../core/errors.js';
import type { BigQueryExportStatus } from '../../../warehouse/bigquery/bigquery-export-status.js';
import type { MirrorStatus } from '../../../warehouse/duckdb/mirror-status.js';
import type { ApiServices } from '../../trpc/context.js';

/** The running warehouse's status sources, given by the platform (api/platform.ts). */
export interface WarehouseStatusSources {
  mirror: () => Promise<MirrorStatus>;
  /** Absent when no BigQuery export is configured. */
  bigQueryExport?: () => Promise<BigQueryExportStatus>;
}

/** GET /v1/warehouse/status and tRPC warehouse.status: the figures /health shows, for API users. */
export async function warehouseStatus(
  services: ApiServices,
): Promise<{ mirror: MirrorStatus; bigquery_export: BigQueryExportStatus | null }> {
  const sources = services.warehouseStatus;
  if (!sources) throw new AppError('unavailable', 'the warehouse (DuckDB mirror) is not running');
  const [mirror, bigquery] = await Promise.all([sources.mirror(), sources.bigQueryExport?.() ?? null]);
  return { mirror, bigquery_export: bigquery };
}
