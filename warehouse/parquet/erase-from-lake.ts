import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../tables/duckdb-ddl.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { erasedColumns, erasedEventTables } from '../transform/erased-columns.js';

export interface LakeErasure {
  contact_id: string;
  /** Log position of the contact.erased event. */
  log_position: string;
  /** Files of earlier runs rewritten without the person's personal data. */
  files: number;
}

/**
 * The Parquet lake's side of contact.erased: files written by earlier runs still hold the
 * person's rows as they were. Every such file is rewritten with the same blanking the mirror
 * applies (rows stay, so counts do), to a temporary name beside it, then renamed over it.
 * Blanking twice gives the same file content, so a run that crashed half-way simply does it
 * again. `contacts` maps contact id to the position of its contact.erased; `events` are the
 * ids those erasures list (events that named no contact but held the person).
 */
export async function eraseFromLake(
  connection: DuckDBConnection,
  dir: string,
  contacts: ReadonlyMap<string, string>,
  events: readonly string[] = [],
): Promise<LakeErasure[]> {
  if (contacts.size === 0) return [];
  const ids = [...contacts.keys()].map((id) => `${BigInt(id)}`).join(', ');
  const eventIds = events.map((id) => `${BigInt(id)}`).join(', ');
  const files = new Map<string, number>([...contacts.keys()].map((id) => [id, 0]));
  for (const table of warehouseTables) {
    const replace = erasedColumns[table.name];
    const tableDir = join(dir, table.name);
    if (!replace || !existsSync(tableDir)) continue;
    const byEvent = eventIds !== '' && erasedEventTables.includes(table.name);
    const erased = `(contact_id IN (${ids})${byEvent ? ` OR event_id IN (${eventIds})` : ''})`;
    const columns = Object.entries(replace)
      .map(
        ([column, value]) =>
          `CASE WHEN ${erased} THEN ${value} ELSE ${quoteIdentifier(column)} END AS ${quoteIdentifier(column)}`,
      )
      .join(', ');
    for (const partition of await readdir(tableDir)) {
      for (const name of await readdir(join(tableDir, partition))) {
        if (!name.endsWith('.parquet')) continue;
        const file = join(tableDir, partition, name);
        const source = `read_parquet(${quoteLiteral(file)}, hive_partitioning = false)`;
        const hit = await connection.runAndReadAll(
          `SELECT DISTINCT contact_id::VARCHAR FROM ${source} WHERE ${erased}`,
        );
        const found = hit.getRows().map((r) => String(r[0]));
        if (found.length === 0) continue;
        const temporary = `${file}.erasing`;
        await connection.run(
          `COPY (SELECT * REPLACE (${columns}) FROM ${source}) TO ${quoteLiteral(temporary)} (FORMAT parquet)`,
        );
        await rename(temporary, file);
        for (const id of found) files.set(id, (files.get(id) ?? 0) + 1);
      }
    }
  }
  await removeLeftovers(dir);
  return [...contacts].map(([id, position]) => ({
    contact_id: id,
    log_position: position,
    files: files.get(id) ?? 0,
  }));
}

/** A `.erasing` file left by a crash between COPY and rename. */
async function removeLeftovers(dir: string) {
  for (const table of warehouseTables) {
    const tableDir = join(dir, table.name);
    if (!existsSync(tableDir)) continue;
    for (const partition of await readdir(tableDir)) {
      for (const name of await readdir(join(tableDir, partition))) {
        if (name.endsWith('.erasing')) await rm(join(tableDir, partition, name), { force: true });
      }
    }
  }
}
