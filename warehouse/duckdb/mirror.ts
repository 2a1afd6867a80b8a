import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import pg from 'pg';
import type { Notifications } from '../../core/db/notifications.js';
import { runSandboxed, type SandboxOptions, type SandboxResult } from '../sandbox/run-sandboxed.js';
import { controlDir } from './control-requests.js';
import { type BatchInfo, copyLog, defaultPageSize } from './copy-log.js';
import { LogPageReader } from './log-page-reader.js';
import { handleControlRequests } from './mirror-control.js';
import { type MirrorProgress, type MirrorStatus, mirrorStatus } from './mirror-status.js';
import { startMirrorWakeups } from './mirror-wakeups.js';
import { ReaderPool, type ReadOptions, type Row } from './reader-pool.js';
import { SafeFieldKeys } from './safe-field-keys.js';
import { runTrustedSelect, trustedQuery } from './trusted-query.js';
import { openWarehouseFile, type WarehouseFile, warehousePath } from './warehouse-file.js';
import { readCursor } from './warehouse-schema.js';

export interface MirrorOptions {
  databaseUrl: string;
  /** The process's shared LISTEN connection; without it the mirror opens its own. */
  notifications?: Notifications;
  dataDir: string;
  /**
   * Most events per DuckDB transaction (a function: tests vary batch boundaries); default
   * copy-log.ts's defaultPageSize. Live batches are smaller by themselves.
   */
  pageSize?: number | (() => number);
  /** Safety-net poll when no NOTIFY arrives. */
  pollIntervalMs?: number;
  /**
   * Checkpoint when the WAL grows past this (default 128 MiB), or when no batch came for
   * checkpointIdleMs (default 5 s) and the WAL is not empty. A checkpoint pauses the loop and
   * the sandboxed readers, so it is kept out of busy periods.
   */
  checkpointWalBytes?: number;
  checkpointIdleMs?: number;
  /** Longest a sandboxed reader reuses a view older than the last commit. */
  readerMaxAgeMs?: number;
  memoryLimit?: string;
  /** Memory limit of each sandboxed reader instance (user SQL), default 1GB. */
  sandboxMemoryLimit?: string;
  /** User queries running at once (default 2); more wait up to sandboxQueueMs (default 2 s), then get a busy error. */
  sandboxConcurrency?: number;
  sandboxQueueMs?: number;
  onBatch?: (batch: BatchInfo) => void;
  onError?: (error: unknown) => void;
}

export interface Mirror {
  status(): Promise<MirrorStatus>;
  /** Resolves once every event committed before the call is in DuckDB (rejects on a failing batch). */
  drain(): Promise<void>;
  stop(): Promise<void>;
  /** Trusted read-only SQL of our own code (segments, insights, exports): always fresh. */
  query(sql: string, params?: DuckDBValue[], options?: ReadOptions): Promise<Row[]>;
  /**
   * User-written SQL (segments, notebooks) with every sandbox check and limit, over the masked
   * catalogue unless `canReadPii`; a read-only view at most readerMaxAgeMs stale (warehouse/sandbox).
   */
  sandbox(sql: string, options: SandboxOptions): Promise<SandboxResult>;
  /**
   * Trusted SQL of our own code (exports, downloads) for someone without `pii.read`: it reads
   * the masked catalogue, so every personal column is masked exactly as user SQL sees it,
   * from a sandboxed reader's view (at most readerMaxAgeMs stale) and within its query limits.
   */
  maskedQuery(sql: string, params?: DuckDBValue[], options?: ReadOptions): Promise<Row[]>;
  readonly file: string;
}

/**
 * The DuckDB mirror: one writer per process owns
 * `<dataDir>/warehouse.duckdb`, follows the log after its own cursor stored in DuckDB, and
 * applies each page in one DuckDB transaction with that cursor. It wakes on NOTIFY
 * parley_events (its own connection) and a slow poll, and answers CLI requests
 * (control-requests.ts). See docs/warehouse.md for the reader freshness rules.
 */
export async function startMirror(options: MirrorOptions): Promise<Mirror> {
  const dataDir = resolve(options.dataDir);
  const path = warehousePath(dataDir);
  const tmpDir = join(dataDir, 'warehouse-tmp');
  await mkdir(controlDir(dataDir), { recursive: true });
  const progress: MirrorProgress = {
    state: 'starting',
    file: path,
    cursor: null,
    lastBatchAt: null,
    lastCheckpointAt: null,
    lastError: null,
  };
  const logReader = new LogPageReader(options.databaseUrl);
  const statusPool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  statusPool.on('error', () => {});
  let file: WarehouseFile | undefined;
  let writerVersion = 0;
  let stopped = false;
  let controlPending = true;
  let wakeUp: (() => void) | undefined;
  const drainWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  const safeFieldKeys = new SafeFieldKeys(statusPool);
  const readers = new ReaderPool(
    () => path,
    () => writerVersion,
    {
      maxAgeMs: options.readerMaxAgeMs,
      memoryLimit: options.sandboxMemoryLimit,
      maxConcurrent: options.sandboxConcurrency,
      queueMs: options.sandboxQueueMs,
      // Spill stays in the data directory, bounded (1GB), so user SQL cannot fill the disk.
      tempDirectory: join(dataDir, 'sandbox-tmp'),
      safeFieldKeys: () => safeFieldKeys.get(),
    },
  );

  // A wake that arrives while the loop is busy is remembered, so the next sleep returns at once.
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const sleep = (ms: number) => {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      wakeUp = () => {
        clearTimeout(timer);
        r();
      };
    }).finally(() => {
      wakeUp = undefined;
      woken = false;
    });
  };

  async function checkpoint(force: boolean) {
    if (!file) return;
    const wal = await stat(`${path}.wal`).then(
      (s) => s.size,
      () => 0,
    );
    const quietFor = Date.now() - (progress.lastBatchAt?.getTime() ?? 0);
    const due =
      wal > (options.checkpointWalBytes ?? 128 << 20) ||
      (force && wal > 0 && quietFor > (options.checkpointIdleMs ?? 5_000));
    if (!due) return;
    const resume = await readers.pause();
    try {
      await file.connection.run('CHECKPOINT');
      progress.lastCheckpointAt = new Date();
    } finally {
      resume();
    }
  }

  // Trusted reads that arrive while the file is not open (the first open at start, a rebuild's
  // swap) wait for it instead of failing: a caller polling right after start must not see an error.
  let whenOpen = openSignal();
  async function reopen() {
    const opened = await openWarehouseFile(path, { memoryLimit: options.memoryLimit });
    file = opened;
    progress.cursor = await readCursor(opened.connection);
    writerVersion++;
    whenOpen.resolve();
  }

  const control = {
    dataDir,
    path,
    readers,
    getFile: () => file,
    closeFile: () => {
      file?.close();
      file = undefined;
      whenOpen = openSignal();
    },
    reopen,
  };

  async function loop() {
    let failures = 0;
    while (!stopped) {
      try {
        if (!file) await reopen();
        if (controlPending) {
          controlPending = false;
          await handleControlRequests(control);
          continue;
        }
        woken = false;
        await copyLog(file!.connection, logReader, {
          pageSize: options.pageSize ?? defaultPageSize,
          tmpDir,
          shouldStop: () => stopped || controlPending,
          afterBatch: () => checkpoint(false),
          onBatch: (batch) => {
            progress.state = 'catching_up';
            progress.cursor = batch.cursor;
            progress.lastBatchAt = new Date(batch.committedAt);
            writerVersion++;
            options.onBatch?.(batch);
          },
        });
        failures = 0;
        if (stopped || controlPending) continue;
        const cursor = progress.cursor!;
        const waiters = drainWaiters.splice(0);
        if (await logReader.hasEventsAfter({ xid: cursor.xid, id: cursor.eventId })) {
          // Committed events above the horizon: an older transaction is still open somewhere.
          drainWaiters.unshift(...waiters);
          progress.state = 'waiting';
          await sleep(50);
          continue;
        }
        progress.state = 'idle';
        for (const waiter of waiters) waiter.resolve();
        await checkpoint(true);
        if (!stopped && !controlPending && drainWaiters.length === 0)
          await sleep(options.pollIntervalMs ?? 5_000);
      } catch (error) {
        failures++;
        progress.state = 'error';
        progress.lastError = { message: (error as Error).message ?? String(error), at: new Date() };
        options.onError?.(error);
        for (const waiter of drainWaiters.splice(0)) waiter.reject(error);
        await sleep(Math.min(500 * 2 ** (failures - 1), 30_000));
      }
    }
  }

  const wakeups = await startMirrorWakeups({
    notifications: options.notifications,
    databaseUrl: options.databaseUrl,
    controlDir: controlDir(dataDir),
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    onLogAppended: wake,
    onControlRequest: () => {
      controlPending = true;
      wake();
    },
  });
  const running = loop();
  let stopping: Promise<void> | undefined;

  return {
    file: path,
    status: () => mirrorStatus(statusPool, progress),
    drain() {
      return new Promise<void>((resolveDrain, reject) => {
        drainWaiters.push({ resolve: resolveDrain, reject });
        wake();
      });
    },
    async query(sql, params = [], queryOptions = {}) {
      while (!file) {
        if (stopped) throw new Error('the warehouse mirror is stopped');
        await whenOpen.promise;
      }
      return trustedQuery(file.instance, sql, params, queryOptions);
    },
    sandbox: (sql, sandboxOptions) => runSandboxed(readers, sql, sandboxOptions),
    maskedQuery: (sql, params = [], queryOptions = {}) =>
      readers.withConnection(
        'masked',
        (connection) => runTrustedSelect(connection, sql, params),
        queryOptions,
      ),
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };

  async function stop() {
    stopped = true;
    // Reads waiting for the file give up now instead of waiting for an open that never comes.
    whenOpen.resolve();
    await wakeups.stop();
    wake();
    await running;
    progress.state = 'stopped';
    await readers.closeAll();
    file?.close();
    file = undefined;
    await logReader.close();
    await statusPool.end().catch(() => {});
  }
}

/** A promise with its resolve (Promise.withResolvers needs Node 22; Node 20 is supported). */
function openSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
