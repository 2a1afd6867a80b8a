import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../tables/duckdb-ddl.js';
import { mergeMovedTables } from '../transform/apply-identities.js';

/**
 * Where each merged person ended up, from merges in log order: a survivor merged later passes
 * its people on to its own survivor, as the mirror's moves do batch after batch.
 */
export function finalSurvivors(
  merges: readonly (readonly [merged: string, survivor: string])[],
): Map<string, string> {
  const into = new Map<string, string>();
  for (const [merged, survivor] of merges) {
    for (const [id, to] of into) if (to === merged) into.set(id, survivor);
    into.set(merged, survivor);
  }
  return into;
}

/**
 * The Parquet lake's side of contact.merged: files of earlier runs still name the merged
 * person. Every such file of the tables the mirror moves is rewritten with the survivor's id,
 * and the merged person's `contacts` rows are dropped, to a temporary name beside the file and
 * then renamed over it. A rewritten file names nobody merged, so a run that crashed half-way
 * simply does the rest again. Returns how many files were rewritten.
 */
export async function mergeInLake(
  connection: DuckDBConnection,
  dir: string,
  merges: readonly (readonly [merged: string, survivor: string])[],
): Promise<number> {
  const into = finalSurvivors(merges);
  if (into.size === 0) return 0;
  const ids = [...into.keys()].map((id) => `${BigInt(id)}`).join(', ');
  const moved = `CASE contact_id ${[...into].map(([m, s]) => `WHEN ${BigInt(m)} THEN ${BigInt(s)}`).join(' ')} ELSE contact_id END`;
  let rewritten = 0;
  for (const table of [...mergeMovedTables, 'contacts']) {
    const tableDir = join(dir, table);
    if (!existsSync(tableDir)) continue;
    for (const partition of await readdir(tableDir)) {
      for (const name of await readdir(join(tableDir, partition))) {
        const file = join(tableDir, partition, name);
        if (name.endsWith('.merging')) {
          await rm(file, { force: true });
          continue;
        }
        if (!name.endsWith('.parquet')) continue;
        const source = `read_parquet(${quoteLiteral(file)}, hive_partitioning = false)`;
        const hit = await connection.runAndReadAll(
          `SELECT 1 FROM ${source} WHERE contact_id IN (${ids}) LIMIT 1`,
        );
        if (hit.getRows().length === 0) continue;
        const rows =
          table === 'contacts'
            ? `SELECT * FROM ${source} WHERE contact_id NOT IN (${ids})`
            : `SELECT * REPLACE (${moved} AS contact_id) FROM ${source}`;
        const temporary = `${file}.merging`;
        await connection.run(`COPY (${rows}) TO ${quoteLiteral(temporary)} (FORMAT parquet)`);
        await rename(temporary, file);
        rewritten++;
      }
    }
  }
  return rewritten;
}
