import { AppError } from '../../core/errors.js';
import type { WarehouseReader } from '../../warehouse/bigquery/write-batch-file.js';
import { type Actor, can } from '../auth/actor.js';

/** The mirror as the Data Export API and downloads read it: trusted SQL, full or masked. */
export interface ExportWarehouse extends WarehouseReader {
  /** The same SQL over the masked catalogue: personal columns masked as user SQL sees them. */
  maskedQuery: WarehouseReader['query'];
}

/**
 * The reader an export runs on for this caller. warehouse.query alone (Analysts) does not
 * include personal data: without pii.read every personal column of every table (the `pii`
 * marker of the warehouse definitions) comes back masked, the same way as in notebooks, so
 * a download or an export page cannot hand over what a query would not.
 */
export function exportReaderFor(warehouse: ExportWarehouse | undefined, actor: Actor): WarehouseReader {
  if (!warehouse) throw new AppError('unavailable', 'the warehouse (DuckDB mirror) is not running');
  if (can(actor, 'pii.read')) return warehouse;
  return { query: (sql, params) => warehouse.maskedQuery(sql, params) };
}
