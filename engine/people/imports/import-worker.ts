import type { Db } from '../../../core/db/database.js';
import type { Notifications } from '../../../core/db/notifications.js';
import { type JobWorker, startJobWorker } from '../../../core/jobs/job-worker.js';
import { importChunkHandler } from './import-job.js';

export interface ImportWorkerOptions {
  db: Db;
  /** The process's shared LISTEN connection; else one of its own on `databaseUrl`; else it polls. */
  notifications?: Notifications;
  databaseUrl?: string;
  /** Rows per transaction. Default 1,000. */
  chunkSize?: number;
  /** How long a claimed chunk is kept from other workers. Default 60 s. */
  leaseMs?: number;
  pollIntervalMs?: number;
  /** Imports applied at the same time. Default 2. */
  concurrency?: number;
  onError?: (error: unknown) => void;
}

export interface ImportWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  wake(): void;
}

/**
 * The background worker of CSV imports: a core/jobs worker for the import-chunk queue
 * (import-job.ts). A failing chunk is retried with backoff; after five failures its import is
 * marked failed with the error.
 */
export function createImportWorker(options: ImportWorkerOptions): ImportWorker {
  let worker: JobWorker | undefined;
  return {
    async start() {
      worker ??= startJobWorker({
        db: options.db,
        notifications: options.notifications,
        databaseUrl: options.databaseUrl,
        handlers: [importChunkHandler({ chunkSize: options.chunkSize ?? 1000 })],
        concurrency: options.concurrency ?? 2,
        leaseMs: options.leaseMs ?? 60_000,
        pollIntervalMs: options.pollIntervalMs,
        // A chunk fails when someone wrote the same person meanwhile: soon again, then slower.
        backoffBaseMs: 200,
        backoffCapMs: 10_000,
        onError: options.onError,
      });
    },
    async stop() {
      await worker?.stop();
      worker = undefined;
    },
    wake() {
      worker?.wake();
    },
  };
}
