import type { WarehouseTable } from '../tables/table-definition.js';
import { mergeMovedTables } from '../transform/apply-identities.js';
import type { ExportResources } from './export-table-batch.js';

/**
 * BigQuery's side of contact.merged: the mirror moves the merged person's rows to the survivor
 * and drops their contacts row, but load jobs only append, so rows loaded before the merge
 * still name the merged id. Before loading a batch whose range holds merges, one DML
 * statement per merge, in log order (a survivor merged later moves on again), rewrites those
 * rows' contact_id, or deletes the merged person's contacts rows, as the mirror did. Repeating
 * it finds nothing left to change, so a retry after a crash anywhere is harmless.
 * Returns how many statements ran.
 */
export async function mergeInBigQuery(
  r: ExportResources,
  table: WarehouseTable,
  range: { from: bigint; to: bigint },
): Promise<number> {
  const moves = (mergeMovedTables as readonly string[]).includes(table.name);
  if (!moves && table.name !== 'contacts') return 0;
  const merges = await r.reader.query(
    `SELECT json_extract_string(payload, '$.surviving_contact_id') AS survivor,
       json_extract_string(payload, '$.merged_contact_id') AS merged
     FROM events_raw WHERE type = 'contact.merged' AND log_position > $1 AND log_position <= $2
     ORDER BY log_position`,
    [range.from, range.to],
  );
  const source = `\`${r.client.projectId}.${r.datasetId}.${table.name}\``;
  const query = moves
    ? `UPDATE ${source} SET contact_id = @survivor WHERE contact_id = @merged`
    : `DELETE FROM ${source} WHERE contact_id = @merged`;
  for (const merge of merges) {
    if (merge.survivor == null || merge.merged == null) continue;
    await r.client.query({
      query,
      location: r.location,
      params: moves
        ? { survivor: Number(merge.survivor), merged: Number(merge.merged) }
        : { merged: Number(merge.merged) },
      types: moves ? { survivor: 'INT64', merged: 'INT64' } : { merged: 'INT64' },
    });
  }
  return merges.length;
}
