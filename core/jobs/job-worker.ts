import type { Db } from '../db/database.js';
import { type Notifications, notificationsFor } from '../db/notifications.js';
import { JOBS_CHANNEL } from './enqueue-job.js';
import { type ClaimedJob, claimDueJobs, nextDueInMs } from './job-store.js';
import { type JobHandler, type JobRunContext, reportExpired, runJobBatch } from './run-job.js';

export { defineJobHandler, type Job, type JobHandler } from './run-job.js';

export interface JobWorkerOptions {
  db: Db;
  handlers: readonly JobHandler<unknown, unknown>[];
  /** The process's shared LISTEN connection; else one of its own on `databaseUrl`; else it polls. */
  notifications?: Notifications;
  databaseUrl?: string;
  /** Jobs (or batches) run at the same time. Default 8. */
  concurrency?: number;
  /** Jobs per transaction for handlers with handleBatch. Default 1. */
  batchSize?: number;
  /** How long a claimed job is kept from other workers. Default 60 s. */
  leaseMs?: number;
  /** Safety-net poll. Default 1 s. */
  pollIntervalMs?: number;
  /** Retry after random(0, min(cap, base * 2^(attempt-1))): full jitter. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  onError?: (error: unknown, job?: ClaimedJob) => void;
}

export interface JobWorker {
  wake(): void;
  /** Resolves once nothing is due and nothing is running (tests). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the jobs of its handlers' queues: claims as many due jobs as it has free slots, runs
 * them concurrently, and sleeps until the next job is due, a NOTIFY parley_jobs (an enqueue
 * committed) or the slow poll. Any number of workers in any number of processes share the
 * table; the attempt fence makes a job's completion happen once.
 */
export function startJobWorker(options: JobWorkerOptions): JobWorker {
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 1;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const handlers = new Map(options.handlers.map((h) => [h.queue, h]));
  const context: JobRunContext = {
    db: options.db,
    backoffBaseMs: options.backoffBaseMs ?? 1_000,
    backoffCapMs: options.backoffCapMs ?? 600_000,
    onError: options.onError,
  };
  const queues = [...handlers.keys()];
  const running = new Set<Promise<void>>();
  const { hub, release } = notificationsFor(options);
  const unsubscribe = hub?.subscribe(JOBS_CHANNEL, (queue) => {
    if (queue === undefined || handlers.has(queue)) wake();
  });
  let stopped = false;
  let woken = false;
  let signal: (() => void) | undefined;
  const idleWaiters: (() => void)[] = [];

  function wake() {
    woken = true;
    signal?.();
  }

  function sleep(ms: number): Promise<void> {
    if (woken || stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal = undefined;
        resolve();
      }
      signal = done;
    });
  }

  async function loop() {
    while (!stopped) {
      woken = false;
      try {
        const free = concurrency - running.size;
        // Claim in chunks rather than one claim per finished job.
        const worth = free > 0 && (running.size === 0 || free >= Math.ceil(concurrency / 2));
        const limit = free * batchSize;
        const { claimed: jobs, expired } = worth
          ? await claimDueJobs(options.db, { queues, limit, leaseMs })
          : { claimed: [], expired: [] };
        await reportExpired(context, handlers, expired);
        for (const chunk of chunks(jobs, batchSize)) {
          const handler = handlers.get(chunk[0]!.queue)!;
          const task = runJobBatch(context, handler, chunk, { stopping: () => stopped }).finally(() => {
            running.delete(task);
            wake();
          });
          running.add(task);
        }
        if (jobs.length > 0 && jobs.length === limit) continue;
        const next = running.size === 0 ? await nextDueInMs(options.db, queues) : null;
        if (running.size === 0 && next === null) for (const resolve of idleWaiters.splice(0)) resolve();
        await sleep(Math.max(5, Math.min(pollIntervalMs, next ?? pollIntervalMs)));
      } catch (error) {
        options.onError?.(error);
        await sleep(pollIntervalMs);
      }
    }
    await Promise.allSettled([...running]);
  }

  /** Jobs of one queue per chunk, at most batchSize each. */
  function chunks(jobs: ClaimedJob[], size: number): ClaimedJob[][] {
    const byQueue = new Map<string, ClaimedJob[]>();
    for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
    const out: ClaimedJob[][] = [];
    for (const list of byQueue.values()) {
      for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    }
    return out;
  }

  const main = (async () => {
    await hub?.ready();
    await loop();
  })();

  return {
    wake,
    drain() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        wake();
      });
    },
    async stop() {
      stopped = true;
      wake();
      await main;
      unsubscribe?.();
      await release();
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}
