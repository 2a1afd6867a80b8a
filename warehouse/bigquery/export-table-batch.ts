import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery, JobMetadata } from '@google-cloud/bigquery';
import type { Db } from '../../core/db/database.js';
import type { WarehouseTable } from '../tables/table-definition.js';
import { eraseInBigQuery } from './erase-in-bigquery.js';
import {
  clearTruncatePending,
  commitBatch,
  markBatchPending,
  readExportCursor,
  recordExportError,
} from './export-cursors.js';
import { loadJobId } from './load-job-id.js';
import { mergeInBigQuery } from './merge-in-bigquery.js';
import { type WarehouseReader, writeBatchFile } from './write-batch-file.js';

export interface ExportResources {
  db: Db;
  client: BigQuery;
  reader: WarehouseReader;
  datasetId: string;
  location: string;
  tmpDir: string;
  /** Largest batch, in log positions: a backfill is split into loads of at most this. */
  maxPositionsPerLoad: bigint;
  /** Least time between two loads of one table unless a full batch is waiting (quota: 1,500/table/day). */
  minLoadIntervalMs: number;
  /** Tests: runs after BigQuery accepted a load and before the cursor commit (a crash there). */
  afterLoad?: (table: string, jobId: string) => Promise<void> | void;
}

export type BatchOutcome =
  | { kind: 'idle' }
  | { kind: 'wait'; untilMs: number }
  | { kind: 'exported'; jobId: string | null; rows: number; to: bigint };

/** The mirror's applied log position: every row at or below it is in DuckDB. */
export async function mirrorPosition(reader: WarehouseReader): Promise<bigint> {
  const [row] = await reader.query('SELECT log_position FROM _mirror_cursor');
  return row ? BigInt(String(row.log_position)) : 0n;
}

/**
 * One step of the export of one table: choose (or resume) a batch, load it with its
 * deterministic job id, then commit the cursor. The batch is recorded before the load, so
 * a crash between the load and the commit retries the same job id, and BigQuery's 409 for
 * a known job id means "already loaded" once the job is checked.
 */
export async function exportTableBatch(r: ExportResources, table: WarehouseTable): Promise<BatchOutcome> {
  let cursor = await readExportCursor(r.db, r.datasetId, table.name);
  if (cursor.truncatePending) {
    // A rebuild began (startExportRebuild): empty the table, then export from 0 again.
    await r.client.query({
      query: `TRUNCATE TABLE \`${r.client.projectId}.${r.datasetId}.${table.name}\``,
      location: r.location,
    });
    await clearTruncatePending(r.db, cursor);
    cursor = await readExportCursor(r.db, r.datasetId, table.name);
    if (cursor.truncatePending) return { kind: 'idle' };
  }
  if (cursor.pendingTo === null) {
    const head = await mirrorPosition(r.reader);
    const behind = head - cursor.exportedPosition;
    if (behind <= 0n) return { kind: 'idle' };
    const due = (cursor.lastLoadAt?.getTime() ?? 0) + r.minLoadIntervalMs;
    if (behind < r.maxPositionsPerLoad && due > Date.now()) return { kind: 'wait', untilMs: due };
    const to = behind > r.maxPositionsPerLoad ? cursor.exportedPosition + r.maxPositionsPerLoad : head;
    await markBatchPending(r.db, cursor, to);
    cursor = await readExportCursor(r.db, r.datasetId, table.name);
    // A rebuild that began meanwhile empties the table first (next call), then this batch runs.
    if (cursor.pendingTo === null || cursor.truncatePending) return { kind: 'idle' };
  }
  const to = cursor.pendingTo;
  const jobId = loadJobId({
    datasetId: r.datasetId,
    table: table.name,
    fromPosition: cursor.exportedPosition,
    toPosition: to,
    attempt: cursor.pendingAttempt,
    generation: cursor.generation,
  });
  const file = join(r.tmpDir, `${jobId}.ndjson`);
  try {
    // Merges in this batch move the rows loaded before to the survivor, then erasures blank
    // them (both idempotent, so safe to repeat).
    await mergeInBigQuery(r, table, { from: cursor.exportedPosition, to });
    await eraseInBigQuery(r, table, { from: cursor.exportedPosition, to });
    const rows = await writeBatchFile(r.reader, table, { from: cursor.exportedPosition, to }, file);
    if (rows === 0) {
      await commitBatch(r.db, cursor, null);
      return { kind: 'exported', jobId: null, rows: 0, to };
    }
    try {
      await r.client.dataset(r.datasetId).table(table.name).load(file, {
        jobId,
        location: r.location,
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        writeDisposition: 'WRITE_APPEND',
      });
    } catch (error) {
      // 409: the job exists (an earlier run loaded or is loading this batch). Any other error
      // may also have reached BigQuery: the job itself says what happened.
      const job = await finishedJob(r, jobId);
      if (!job) {
        await recordExportError(r.db, cursor, errorMessage(error), { nextAttempt: false });
        throw error;
      }
      if (job.status?.errorResult) {
        const message = `load job ${jobId} failed: ${job.status.errorResult.message}`;
        await recordExportError(r.db, cursor, message, { nextAttempt: true });
        throw new Error(message, { cause: error });
      }
    }
    await r.afterLoad?.(table.name, jobId);
    await commitBatch(r.db, cursor, jobId);
    return { kind: 'exported', jobId, rows, to };
  } finally {
    await rm(file, { force: true });
  }
}

/** The job of that id once DONE, or null if BigQuery never created it. */
async function finishedJob(r: ExportResources, jobId: string): Promise<JobMetadata | null> {
  const job = r.client.job(jobId, { location: r.location });
  for (;;) {
    let metadata: JobMetadata;
    try {
      [metadata] = await job.getMetadata();
    } catch (error) {
      if ((error as { code?: number }).code === 404) return null;
      throw error;
    }
    if (metadata.status?.state === 'DONE') return metadata;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
