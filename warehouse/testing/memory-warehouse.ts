import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { applyBatch } from '../duckdb/apply-batch.js';
import { createWarehouseSchema } from '../duckdb/warehouse-schema.js';
import { csvSource } from '../transform/stage-batch.js';
import { type LogRow, toCopyCsv } from './copy-csv.js';

/**
 * An in-memory warehouse for transform tests: apply batches of log rows through the real
 * CSV staging, transform and cursor code, then read tables back as JSON-friendly objects.
 */
export async function memoryWarehouse() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await createWarehouseSchema(connection);
  const dir = await mkdtemp(join(tmpdir(), 'parley-wh-'));
  let files = 0;
  return {
    connection,
    async apply(rows: readonly LogRow[]) {
      const file = join(dir, `batch-${files++}.csv`);
      await writeFile(file, toCopyCsv(rows));
      const last = rows.at(-1)!;
      return applyBatch(connection, csvSource(file), { xid: String(last.xid ?? 1), id: String(last.id) });
    },
    async rows(sql: string): Promise<Record<string, unknown>[]> {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
