import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { csvSource } from '../transform/stage-batch.js';
import { type AppliedBatch, applyBatch } from './apply-batch.js';
import type { LogKey, LogPageFile, LogPageReader } from './log-page-reader.js';
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
 * Most events per batch unless told otherwise. Larger pages spread each batch's fixed costs
 * (scans of the big tables by the status and conversation folds, the commit, the checkpoint)
 * over more events; above DuckDB's row group size (122,880 rows) events_raw's row groups go
 * straight to the file rather than through the WAL. bench/mirror-profile.ts on 2M events, DuckDB
 * side: pages of 50,000 -> 200,000 took 24 % less CPU, 200,000 -> 500,000 another 22 %
 * (56,525 -> 71,121 events/s). A page is ~175 MB of CSV, streamed to a file, never held in memory.
 */
export const defaultPageSize = 500_000;

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
  const read = (after: LogKey, limit: number) => {
    const file = join(options.tmpDir, `page-${process.pid}-${files++}.csv`);
    const page = reader.readToFile(after, { limit, until: options.until }, file);
    // Surfaces later through `await next`; without a handler Node would report it now.
    page.catch(() => rm(file, { force: true }));
    return page;
  };
  const stored = await readCursor(connection);
  let applied = 0;
  let next: Promise<LogPageFile> | undefined = read({ xid: stored.xid, id: stored.eventId }, size());
  try {
    while (next) {
      const page = await next;
      next = undefined;
      try {
        if (!page.last) break;
        const last = page.last;
        const limit = size();
        if (page.events >= limit && !options.shouldStop?.()) next = read(last, limit);
        const started = performance.now();
        await useThreads(connection, page.bytes);
        const batch = await applyBatch(connection, csvSource(page.file), last);
        applied += batch.events;
        options.onBatch?.({ ...batch, committedAt: Date.now(), durationMs: performance.now() - started });
        await options.afterBatch?.();
        if (options.shouldStop?.()) break;
        next ??= read(last, size());
      } finally {
        await rm(page.file, { force: true });
      }
    }
  } finally {
    // A prefetched page that will not be applied: wait for its read, then remove its file.
    const unused = await next?.catch(() => undefined);
    if (unused) await rm(unused.file, { force: true });
  }
  return applied;
}
