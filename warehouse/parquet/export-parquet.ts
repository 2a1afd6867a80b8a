import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../tables/duckdb-ddl.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { eraseFromLake } from './erase-from-lake.js';
import { mergeInLake } from './merge-in-lake.js';
import { partPrefix, readManifest, writeManifest } from './parquet-manifest.js';

export interface ParquetExportResult {
  /** First and last log position of this run; null when there was nothing new. */
  from: string | null;
  to: string | null;
  rows: Record<string, number>;
}

/**
 * Exports every warehouse table as Parquet, partitioned by day in hive style
 * (`<dir>/<table>/date=YYYY-MM-DD/part-<from>-<to>-<n>.parquet`, the day in UTC of the
 * table's partition column), incrementally: only rows whose position column passed the last
 * export. `log` tables thus get each row once; `state` tables get a snapshot of every row
 * that changed, and readers keep the row with the highest updated_log_position per key
 * (docs/parquet.md). Files are written to a staging folder, then renamed into place. A
 * contact.erased in the range rewrites the earlier files holding that person's rows
 * (erase-from-lake.ts); the run's manifest entry lists them.
 *
 * `connection` must belong to an instance with file access (the mirror's writer, or the CLI's).
 */
export async function exportParquet(
  connection: DuckDBConnection,
  dir: string,
  version: string,
): Promise<ParquetExportResult> {
  await mkdir(dir, { recursive: true });
  const manifest = await readManifest(dir);
  if (manifest.warehouse_version !== null && manifest.warehouse_version !== version) {
    throw new Error(
      `${dir} holds an export of warehouse version ${manifest.warehouse_version}, this warehouse is ${version}: export to a new directory`,
    );
  }
  if (manifest.pending) await undoPending(dir, manifest.pending);
  const staging = join(dir, '.staging');
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const rows: Record<string, number> = {};
  // People erased in this run's range: files of earlier runs still hold their data.
  const erased = new Map<string, string>();
  const erasedEvents: string[] = [];
  const merges: [merged: string, survivor: string][] = [];
  await connection.run('BEGIN TRANSACTION');
  let from: bigint;
  let to: bigint;
  try {
    const cursor = await connection.runAndReadAll('SELECT log_position FROM _mirror_cursor');
    to = BigInt(cursor.getRows()[0]?.[0] as bigint);
    const exported = BigInt(manifest.exported_position);
    if (to < exported) throw new Error(`the warehouse (position ${to}) is behind this export (${exported})`);
    from = exported + 1n;
    if (to < from) {
      await connection.run('COMMIT');
      await rm(staging, { recursive: true, force: true });
      if (manifest.pending) await writeManifest(dir, { ...manifest, pending: undefined });
      return { from: null, to: null, rows };
    }
    await writeManifest(dir, {
      ...manifest,
      warehouse_version: version,
      pending: { from: String(from), to: String(to) },
    });
    const erasures = await connection.runAndReadAll(
      `SELECT contact_id::VARCHAR, max(log_position)::VARCHAR FROM events_raw
       WHERE type = 'contact.erased' AND contact_id IS NOT NULL AND log_position BETWEEN ${from} AND ${to}
       GROUP BY contact_id ORDER BY contact_id`,
    );
    for (const [id, position] of erasures.getRows()) erased.set(String(id), String(position));
    const listed = await connection.runAndReadAll(
      `SELECT DISTINCT unnest(json_transform(payload->'events', '["VARCHAR"]')) FROM events_raw
       WHERE type = 'contact.erased' AND log_position BETWEEN ${from} AND ${to}`,
    );
    for (const [id] of listed.getRows()) if (id !== null) erasedEvents.push(String(id));
    const merged = await connection.runAndReadAll(
      `SELECT json_extract_string(payload, '$.merged_contact_id'), json_extract_string(payload, '$.surviving_contact_id')
       FROM events_raw WHERE type = 'contact.merged' AND log_position BETWEEN ${from} AND ${to} ORDER BY log_position`,
    );
    for (const [mergedId, survivor] of merged.getRows())
      if (mergedId !== null && survivor !== null) merges.push([String(mergedId), String(survivor)]);
    for (const table of warehouseTables) {
      const position = quoteIdentifier(table.positionColumn);
      const select = `SELECT *, CAST((${quoteIdentifier(table.partitionColumn)} AT TIME ZONE 'UTC') AS DATE)::VARCHAR AS date
        FROM ${quoteIdentifier(table.name)} WHERE ${position} BETWEEN ${from} AND ${to}`;
      const count = await connection.runAndReadAll(`SELECT count(*) FROM (${select})`);
      rows[table.name] = Number(count.getRows()[0]?.[0] ?? 0);
      if (rows[table.name] === 0) continue;
      await connection.run(`COPY (${select}) TO ${quoteLiteral(join(staging, table.name))}
        (FORMAT parquet, PARTITION_BY (date), FILENAME_PATTERN '${partPrefix(from, to)}{i}', OVERWRITE_OR_IGNORE)`);
    }
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
  // Before this run's files move in: they come from the mirror, which already moved and
  // blanked them. Merges first, so an erased survivor's moved rows are blanked too.
  const mergedFiles = await mergeInLake(connection, dir, merges);
  const erasures = await eraseFromLake(connection, dir, erased, erasedEvents);
  for (const table of warehouseTables) {
    const source = join(staging, table.name);
    if (!existsSync(source)) continue;
    for (const partition of await readdir(source)) {
      await mkdir(join(dir, table.name, partition), { recursive: true });
      for (const file of await readdir(join(source, partition))) {
        await rename(join(source, partition, file), join(dir, table.name, partition, file));
      }
    }
  }
  await rm(staging, { recursive: true, force: true });
  const run = {
    from: String(from),
    to: String(to),
    exported_at: new Date().toISOString(),
    rows,
    ...(erasures.length > 0 ? { erasures } : {}),
    ...(merges.length > 0 ? { merges: merges.length, merged_files: mergedFiles } : {}),
  };
  await writeManifest(dir, {
    format: 1,
    warehouse_version: version,
    exported_position: String(to),
    runs: [...manifest.runs, run],
  });
  return { from: run.from, to: run.to, rows };
}

/** Removes the files of a run that crashed before its manifest was written. */
async function undoPending(dir: string, pending: { from: string; to: string }) {
  const prefix = partPrefix(pending.from, pending.to);
  for (const table of warehouseTables) {
    const tableDir = join(dir, table.name);
    if (!existsSync(tableDir)) continue;
    for (const partition of await readdir(tableDir)) {
      for (const file of await readdir(join(tableDir, partition))) {
        if (file.startsWith(prefix)) await rm(join(tableDir, partition, file), { force: true });
      }
    }
  }
}
