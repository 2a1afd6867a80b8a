import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WarehouseTable } from '../../tables/table-definition.js';

/**
 * A SELECT of every column of a table in a form both DuckDB instances print alike
 * (timestamps as epoch microseconds, JSON as normalised text), ordered by the key, so the
 * fake BigQuery's rows can be compared with the mirror's exactly.
 */
export function comparableSql(table: WarehouseTable, source: string): string {
  const columns = table.columns.map((c) => {
    const ref = `"${c.name}"`;
    if (c.type === 'timestamp') return `epoch_us(${ref}) AS ${ref}`;
    if (c.type === 'json') return `json(${ref})::VARCHAR AS ${ref}`;
    return `${ref}::VARCHAR AS ${ref}`;
  });
  return `SELECT ${columns.join(', ')} FROM ${source} ORDER BY ${table.key.map((k) => `"${k}"`).join(', ')}`;
}

export async function mirrorDir() {
  const path = await mkdtemp(join(tmpdir(), 'parley-bq-mirror-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
