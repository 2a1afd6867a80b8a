// `npm run warehouse -- <command>`: docs | rebuild | verify | export-parquet DIR | bigquery-rebuild.
// Reads DATABASE_URL and PARLEY_DATA_DIR through core/config.ts; see docs/warehouse.md.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../core/config.js';
import { createDatabase } from '../core/db/database.js';
import { startExportRebuild } from './bigquery/export-cursors.js';
import { openLogDatabase } from './cli/log-database.js';
import { verifyBigQueryCommand } from './cli/verify-bigquery-command.js';
import { submitControlRequest } from './duckdb/control-requests.js';
import { rebuildWarehouse } from './duckdb/rebuild.js';
import { verifyWarehouse } from './duckdb/verify.js';
import { openUnlessMirrored, warehousePath } from './duckdb/warehouse-file.js';
import { warehouseVersion } from './duckdb/warehouse-schema.js';
import { exportParquet } from './parquet/export-parquet.js';
import { dataDictionaryMarkdown, dataDictionaryPath } from './tables/data-dictionary.js';
import { warehouseTables } from './tables/warehouse-tables.js';

const usage = `usage: npm run warehouse -- <command>
  docs                 regenerate docs/warehouse.md from warehouse/tables
  rebuild              build a new warehouse file from the whole log and swap it in
  verify               recompute every table from the log and compare with the warehouse, and BigQuery
                       when configured (exit 1 on difference)
  export-parquet DIR   export new rows of every table to DIR as day-partitioned Parquet
  bigquery-rebuild     empty every BigQuery table and export it again from the start (new load job ids)`;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'docs') {
    await writeFile(dataDictionaryPath, dataDictionaryMarkdown(warehouseTables));
    console.log(`wrote ${dataDictionaryPath}`);
    return 0;
  }
  const config = loadConfig();
  if (command === 'export-parquet') {
    if (!rest[0])
      throw new Error('export-parquet needs a directory: npm run warehouse -- export-parquet DIR');
    const dir = resolve(rest[0]);
    const instance = await openUnlessMirrored(warehousePath(config.dataDir));
    let result: unknown;
    if (instance) {
      const connection = await instance.connect();
      try {
        result = await exportParquet(connection, dir, warehouseVersion);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    } else {
      const answer = await submitControlRequest(config.dataDir, { command: 'export-parquet', dir });
      if (!answer.ok) throw new Error(answer.error);
      result = answer.value;
    }
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  if (command === 'bigquery-rebuild') {
    if (!config.bigquery)
      throw new Error('no BigQuery export is configured (BIGQUERY_PROJECT, BIGQUERY_DATASET)');
    const database = await openLogDatabase(config);
    const log = createDatabase(database.url, { max: 1 });
    try {
      const generation = await startExportRebuild(
        log.db,
        config.bigquery.datasetId,
        warehouseTables.map((t) => t.name),
      );
      console.log(
        `BigQuery dataset ${config.bigquery.datasetId}: rebuild ${generation} started. The export empties each table before its next load and exports it from the start; follow it in GET /v1/warehouse/status.`,
      );
      return 0;
    } finally {
      await log.close();
      await database.stop();
    }
  }
  if (command !== 'rebuild' && command !== 'verify') {
    console.error(usage);
    return 2;
  }
  const database = await openLogDatabase(config);
  console.log(`log: ${database.how}; data directory: ${resolve(config.dataDir)}`);
  try {
    if (command === 'rebuild') {
      const started = performance.now();
      const result = await rebuildWarehouse({ databaseUrl: database.url, dataDir: config.dataDir });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `rebuilt ${result.file} from ${result.events} events in ${seconds.toFixed(1)} s; swapped in by ${result.swappedBy === 'mirror' ? 'the running mirror' : 'this command'}`,
      );
      return 0;
    }
    const result = await verifyWarehouse({ databaseUrl: database.url, dataDir: config.dataDir });
    console.log(
      `warehouse cursor: event ${result.cursor.eventId}, log position ${result.cursor.logPosition}; events re-read from the log: ${result.logEvents}`,
    );
    console.log(
      `${'table'.padEnd(18)} ${'mirror rows'.padStart(12)} ${'log rows'.padStart(12)}  ${'mirror checksum'.padEnd(16)}  ${'log checksum'.padEnd(16)}  result`,
    );
    for (const t of result.tables) {
      console.log(
        `${t.table.padEnd(18)} ${String(t.mirror.rows).padStart(12)} ${String(t.log.rows).padStart(12)}  ${t.mirror.checksum}  ${t.log.checksum}  ${t.equal ? 'ok' : 'DIFFERENT'}`,
      );
    }
    if (String(result.logEvents) !== result.cursor.logPosition) {
      console.log(
        `DIFFERENT: the log holds ${result.logEvents} events up to the cursor, the warehouse counted ${result.cursor.logPosition}`,
      );
    }
    const differences = result.tables.filter((t) => !t.equal).length;
    console.log(result.equal ? 'verify: no difference' : `verify: ${differences} table(s) differ`);
    if (!config.bigquery) return result.equal ? 0 : 1;
    const log = createDatabase(database.url, { max: 1 });
    try {
      const bigquery = await verifyBigQueryCommand({
        db: log.db,
        dataDir: config.dataDir,
        target: config.bigquery,
      });
      return result.equal && bigquery.equal ? 0 : 1;
    } finally {
      await log.close();
    }
  } finally {
    await database.stop();
  }
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `warehouse: ${(error as Error).message}`);
  code = 1;
}
// Explicit exit: process.exitCode alone was lost (the DuckDB bindings end the process with 0).
process.exit(code);
