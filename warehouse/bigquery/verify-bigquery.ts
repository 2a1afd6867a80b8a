import type { Db } from '../../core/db/database.js';
import type { ComparableChecksum } from '../duckdb/comparable-checksums.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { type BigQueryTarget, bigQueryClient } from './bigquery-client.js';
import { bigQueryRowsSql, checksumHex, rowHash } from './canonical-rows.js';

export interface BigQueryTableVerify {
  table: string;
  exported_position: string;
  /** False for a current-state table whose export is behind the mirror (not a difference). */
  compared: boolean;
  mirror: { rows: number; checksum: string };
  bigquery: { rows: number; checksum: string } | null;
  equal: boolean;
}

export interface BigQueryVerifyResult {
  dataset: string;
  mirror_position: string;
  tables: BigQueryTableVerify[];
  equal: boolean;
}

/** The mirror's checksums of the rows BigQuery should hold (duckdb/comparable-checksums.ts). */
export type MirrorChecksums = (
  exported: Record<string, string>,
) => Promise<{ mirrorPosition: string; tables: ComparableChecksum[] }>;

/**
 * `npm run warehouse -- verify`, BigQuery part: per table, the rows
 * BigQuery holds up to the table's export cursor, read through the real client's query and
 * counted and checksummed here, against the same rows of the mirror. BigQuery returns one
 * short text per row (canonical-rows.ts), so verify reads, and is billed for, every
 * exported column once.
 */
export async function verifyBigQuery(options: {
  db: Db;
  target: BigQueryTarget;
  mirror: MirrorChecksums;
}): Promise<BigQueryVerifyResult> {
  const { target } = options;
  const cursors = await options.db
    .selectFrom('bigquery_export_cursors')
    .select(['table_name', 'exported_position'])
    .where('dataset', '=', target.datasetId)
    .execute();
  const exported: Record<string, string> = {};
  for (const c of cursors) exported[c.table_name] = String(c.exported_position);
  const mirror = await options.mirror(exported);
  const client = bigQueryClient(target);
  const tables: BigQueryTableVerify[] = [];
  for (const table of warehouseTables) {
    const m = mirror.tables.find((t) => t.table === table.name);
    if (!m) throw new Error(`the mirror gave no checksum for ${table.name}`);
    const upTo = BigInt(exported[table.name] ?? '0');
    const mine = { rows: m.rows, checksum: m.checksum };
    if (!m.comparable) {
      tables.push({
        table: table.name,
        exported_position: upTo.toString(),
        compared: false,
        mirror: mine,
        bigquery: null,
        equal: true,
      });
      continue;
    }
    let theirs = { rows: 0, checksum: checksumHex(0n) };
    if (upTo > 0n) {
      const source = `\`${target.projectId}.${target.datasetId}.${table.name}\``;
      const [rows] = await client.query({
        query: bigQueryRowsSql(table, source, upTo),
        location: target.location,
      });
      let sum = 0n;
      for (const row of rows as { row_text: string }[]) sum += rowHash(row.row_text);
      theirs = { rows: rows.length, checksum: checksumHex(sum) };
    }
    tables.push({
      table: table.name,
      exported_position: upTo.toString(),
      compared: true,
      mirror: mine,
      bigquery: theirs,
      equal: mine.rows === theirs.rows && mine.checksum === theirs.checksum,
    });
  }
  return {
    dataset: target.datasetId,
    mirror_position: mirror.mirrorPosition,
    tables,
    equal: tables.every((t) => t.equal),
  };
}
