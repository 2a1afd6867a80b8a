import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../core/db/database.js';
import type { WarehouseTable } from '../tables/table-definition.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { type BigQueryTarget, bigQueryClient } from './bigquery-client.js';
import { type BigQueryExportStatus, bigQueryExportStatus } from './bigquery-export-status.js';
import { ensureBigQueryTables } from './ensure-bigquery-tables.js';
import {
  type BatchOutcome,
  type ExportResources,
  errorMessage,
  exportTableBatch,
  mirrorPosition,
} from './export-table-batch.js';
import type { WarehouseReader } from './write-batch-file.js';

export interface BigQueryExportOptions {
  db: Db;
  /** The DuckDB mirror's trusted reader: BigQuery gets the rows the mirror holds. */
  reader: WarehouseReader;
  target: BigQueryTarget;
  tables?: readonly WarehouseTable[];
  /** Default 300 s: at most 288 loads per table per day, far below BigQuery's 1,500. */
  minLoadIntervalMs?: number;
  /** Default 1,000,000 log positions per load during a backfill. */
  maxPositionsPerLoad?: number;
  /** Loop wake-up when nothing is due (default 10 s). */
  pollIntervalMs?: number;
  afterLoad?: ExportResources['afterLoad'];
  onError?: (error: unknown) => void;
}

export interface BigQueryExport {
  /** One pass over every table (each exports at most one batch); for tests and the CLI. */
  runOnce(): Promise<Record<string, BatchOutcome>>;
  /** Exports until every table has caught up with the mirror position at the call. */
  drain(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  status(): Promise<BigQueryExportStatus>;
}

/**
 * The BigQuery export: a follower of the DuckDB mirror that loads each
 * table's new rows with load jobs (free, unlike streaming inserts) whose ids derive from the
 * table and position range (load-job-id.ts). Current-state tables are exported as change
 * rows; their `<table>_latest` views give the latest row (ensure-bigquery-tables.ts).
 */
export async function createBigQueryExport(options: BigQueryExportOptions): Promise<BigQueryExport> {
  const client = bigQueryClient(options.target);
  const tables = options.tables ?? warehouseTables;
  const tmpDir = await mkdtemp(join(tmpdir(), 'parley-bq-'));
  const resources: ExportResources = {
    db: options.db,
    client,
    reader: options.reader,
    datasetId: options.target.datasetId,
    location: options.target.location,
    tmpDir,
    maxPositionsPerLoad: BigInt(options.maxPositionsPerLoad ?? 1_000_000),
    minLoadIntervalMs: options.minLoadIntervalMs ?? 300_000,
    afterLoad: options.afterLoad,
  };
  let ensured = false;
  let failures = 0;
  let nextAttemptAt: Date | null = null;
  let lastError: { message: string; at: Date } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function runOnce(): Promise<Record<string, BatchOutcome>> {
    if (!ensured) {
      await ensureBigQueryTables(client, {
        datasetId: resources.datasetId,
        location: resources.location,
        tables,
      });
      ensured = true;
    }
    const outcomes: Record<string, BatchOutcome> = {};
    for (const table of tables) outcomes[table.name] = await exportTableBatch(resources, table);
    return outcomes;
  }

  async function tick() {
    let delay = options.pollIntervalMs ?? 10_000;
    try {
      const outcomes = Object.values(await runOnce());
      failures = 0;
      lastError = null;
      if (outcomes.some((o) => o.kind === 'exported')) delay = 0;
      for (const o of outcomes)
        if (o.kind === 'wait') delay = Math.min(delay, Math.max(0, o.untilMs - Date.now()));
    } catch (error) {
      failures++;
      lastError = { message: errorMessage(error), at: new Date() };
      // Exponential backoff from 5 s up to 10 minutes.
      delay = Math.min(5_000 * 2 ** (failures - 1), 600_000);
      options.onError?.(error);
    }
    nextAttemptAt = new Date(Date.now() + delay);
    if (!stopped)
      timer = setTimeout(() => {
        running = tick();
      }, delay);
  }

  return {
    runOnce,
    async drain() {
      const target = await mirrorPosition(resources.reader);
      for (;;) {
        const outcomes = Object.values(await runOnce());
        const waits = outcomes.flatMap((o) => (o.kind === 'wait' ? [o.untilMs] : []));
        if (waits.length > 0)
          await new Promise((r) => setTimeout(r, Math.max(0, Math.min(...waits) - Date.now())));
        const status = await bigQueryExportStatus(resources, tables, { lastError, nextAttemptAt });
        if (status.tables.every((t) => BigInt(t.exported_position) >= target)) return;
      }
    },
    start() {
      stopped = false;
      running = tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await rm(tmpDir, { recursive: true, force: true });
    },
    status: () => bigQueryExportStatus(resources, tables, { lastError, nextAttemptAt }),
  };
}
