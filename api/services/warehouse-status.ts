import { AppError } from '../../core/errors.js';
import type { BigQueryExportStatus } from '../../warehouse/bigquery/bigquery-export-status.js';
import type { MirrorStatus } from '../../warehouse/duckdb/mirror-status.js';
import type { ApiServices } from './api-services.js';

/** GET /v1/warehouse/status and tRPC warehouse.status: the figures /health shows, for API users. */
export async function warehouseStatus(
  services: ApiServices,
): Promise<{ mirror: MirrorStatus; bigquery_export: BigQueryExportStatus | null }> {
  const warehouse = services.warehouse;
  if (!warehouse) throw new AppError('unavailable', 'the warehouse (DuckDB mirror) is not running');
  const [mirror, bigquery] = await Promise.all([
    warehouse.status(),
    warehouse.bigQueryExportStatus?.() ?? null,
  ]);
  return { mirror, bigquery_export: bigquery };
}
