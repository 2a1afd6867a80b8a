import type { WarehouseTable } from '../tables/table-definition.js';
import { erasedColumns, erasedEventTables } from '../transform/erased-columns.js';
import type { ExportResources } from './export-table-batch.js';

/**
 * BigQuery's side of contact.erased: rows loaded before the erasure still hold the person's
 * data, and load jobs only append. Before loading a batch whose range holds an erasure, one
 * DML statement per table blanks the person's earlier rows (those whose position is below the
 * erasure's) with the blanking the mirror applied. Re-running it sets the same values again,
 * so a retry after a crash anywhere is harmless; rows from after the erasure are untouched.
 * Returns how many statements ran.
 */
export async function eraseInBigQuery(
  r: ExportResources,
  table: WarehouseTable,
  range: { from: bigint; to: bigint },
): Promise<number> {
  const replace = erasedColumns[table.name];
  if (!replace) return 0;
  const erasures = await r.reader.query(
    `SELECT contact_id::VARCHAR AS contact_id, max(log_position)::VARCHAR AS log_position FROM events_raw
     WHERE type = 'contact.erased' AND contact_id IS NOT NULL AND log_position > $1 AND log_position <= $2
     GROUP BY contact_id ORDER BY contact_id`,
    [range.from, range.to],
  );
  const set = Object.entries(replace)
    .map(([column, value]) => `${column} = ${value}`)
    .join(', ');
  const query = `UPDATE \`${r.client.projectId}.${r.datasetId}.${table.name}\` SET ${set}
    WHERE contact_id = @contact_id AND ${table.positionColumn} < @position`;
  for (const erasure of erasures) {
    await r.client.query({
      query,
      location: r.location,
      params: { contact_id: Number(erasure.contact_id), position: Number(erasure.log_position) },
      types: { contact_id: 'INT64', position: 'INT64' },
    });
  }
  // Rows of the events the erasures list (they named no contact but held the person).
  if (erasedEventTables.includes(table.name)) {
    const listed = await r.reader.query(
      `SELECT DISTINCT unnest(json_transform(payload->'events', '["VARCHAR"]')) AS event_id FROM events_raw
       WHERE type = 'contact.erased' AND log_position > $1 AND log_position <= $2`,
      [range.from, range.to],
    );
    const ids = listed.flatMap((row) => (row.event_id == null ? [] : [`${BigInt(String(row.event_id))}`]));
    if (ids.length > 0) {
      await r.client.query({
        query: `UPDATE \`${r.client.projectId}.${r.datasetId}.${table.name}\` SET ${set}
          WHERE event_id IN (${ids.join(', ')})`,
        location: r.location,
      });
      return erasures.length + 1;
    }
  }
  return erasures.length;
}
