import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { csvSource } from '../transform/stage-batch.js';
import { type AppliedBatch, applyBatch } from './apply-batch.js';
import type { LogKey, LogPage, LogPageReader } from './log-page-reader.js';
import { readCursor } from './warehouse-schema.js';

export interface BatchInfo extends AppliedBatch {
  /** When the batch's DuckDB transaction committed (ms since epoch). */
  committedAt: number;
  durationMs: number;
}

export interface CopyLogOptions {
  /** Events per page; a page is one DuckDB transaction. */
  pageSize: number | (() => number);
  /** Directory for the pages' CSV files (removed after each batch). */
  tmpDir: string;
  /** Stop after this key (verify reads the log up to the mirror's cursor). */
  until?: LogKey;
  onBatch?: (batch: BatchInfo) => void;
  /** Checked between batches: stop early (the mirror's stop, checkpoint and swap). */
  shouldStop?: () => boolean;
  /** Runs between batches, e.g. a checkpoint. */
  afterBatch?: () => Promise<void>;
}

/**
 * Most events per batch unless told otherwise: above DuckDB's row group size (122,880 rows),
 * so a catch-up batch writes events_raw's row groups straight to the file rather than through
 * the WAL and again at the checkpoint, and per-statement costs spread over more events
 * (bench/mirror-profile.ts, 500k events, back to back on a loaded machine: 24 % less DuckDB
 * CPU and 34 % less wall time than pages of 50,000). About 70 MB of CSV per page.
 */
export const defaultPageSize = 200_000;

let files = 0;

// Tiny batches run faster on one thread (no per-thread setup in every operator); from a few
// hundred events on, the scans of the big tables dominate and every core helps. Measured:
// 10-event batches 94 ms on 1 thread, 128 ms on 2; 1,000-event batches on a 2M-event
// warehouse 365 ms on 1 thread, 300 ms on 2 (about 350 bytes per event).
const smallPageBytes = 128 << 10;
const allThreads = Math.max(1, availableParallelism());
const threadsInUse = new WeakMap<DuckDBConnection, number>();

async function useThreads(connection: DuckDBConnection, pageBytes: number) {
  const wanted = pageBytes < smallPageBytes ? 1 : allThreads;
  if (threadsInUse.get(connection) === wanted) return;
  await connection.run(`SET threads = ${wanted}`);
  threadsInUse.set(connection, wanted);
}

/**
 * Copies the log into the warehouse from its stored cursor until a page comes back empty.
 * While catching up (the page was full), the next page is read from Postgres while DuckDB
 * applies the current one, so the two engines work at the same time. A short page means the
 * mirror has reached the log's head: then the next page is read only after the current one
 * is applied. Read earlier, it would hold only the events committed before that apply
 * started, and every event committed during it would wait one more batch (at 2,000 events/s
 * that extra batch was about a third of the live lag: bench/mirror.ts).
 * Returns the number of events applied.
 */
export async function copyLog(
  connection: DuckDBConnection,
  reader: LogPageReader,
  options: CopyLogOptions,
): Promise<number> {
  await mkdir(options.tmpDir, { recursive: true });
  const size = () => (typeof options.pageSize === 'function' ? options.pageSize() : options.pageSize);
  const stored = await readCursor(connection);
  const start: LogKey = { xid: stored.xid, id: stored.eventId };
  let applied = 0;
  let next: Promise<LogPage> | undefined = reader.read(start, { limit: size(), until: options.until });
  try {
    while (next) {
      const page = await next;
      next = undefined;
      if (!page.last) break;
      const last = page.last;
      const limit = size();
      const full = page.events >= limit;
      if (full && !options.shouldStop?.()) {
        next = reader.read(last, { limit, until: options.until });
        // Surfaces later through `await next`; without a handler Node would report it now.
        next.catch(() => {});
      }
      const file = join(options.tmpDir, `page-${process.pid}-${files++}.csv`);
      const started = performance.now();
      await writeFile(file, page.csv);
      await useThreads(connection, page.csv.length);
      try {
        const batch = await applyBatch(connection, csvSource(file), last);
        applied += batch.events;
        options.onBatch?.({ ...batch, committedAt: Date.now(), durationMs: performance.now() - started });
      } finally {
        await rm(file, { force: true });
      }
      await options.afterBatch?.();
      if (options.shouldStop?.()) break;
      next ??= reader.read(last, { limit: size(), until: options.until });
    }
  } finally {
    await next?.catch(() => {});
  }
  return applied;
}
