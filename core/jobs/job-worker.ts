import type { z } from 'zod';
import type { Db, Tx } from '../db/database.js';
import { type Notifications, notificationsFor } from '../db/notifications.js';
import { backoffDelayMs } from './backoff.js';
import { JOBS_CHANNEL } from './enqueue-job.js';
import {
  type ClaimedJob,
  claimJobs,
  completeJob,
  completeJobs,
  failJob,
  nextDueInMs,
  releaseJob,
} from './job-store.js';

/** A job whose payload has been parsed by its queue's schema. */
export type Job<P> = Omit<ClaimedJob, 'payload'> & { payload: P };

/**
 * What a queue does with a job. `handle` runs in the transaction that completes the job, so
 * its database effects commit exactly once together with the completion (a crash before the
 * commit leaves both undone, and the job runs again).
 *
 * External effects (an HTTP call) go in `perform`, which runs outside any transaction (an
 * open transaction would hold back every log reader) before `handle` records its result.
 * They are AT LEAST ONCE: a worker that dies after the effect and before the commit leaves
 * the job to run again, as docs/outbound.md explains for the sender.
 */
export interface JobHandler<P = unknown, R = void> {
  queue: string;
  payloadSchema?: z.ZodType<P>;
  perform?(job: Job<P>): Promise<R>;
  handle(tx: Tx, job: Job<P>, performed: R): Promise<void>;
  /**
   * Optional: many jobs of this queue in one transaction (with the worker's batchSize), for
   * queues of small database effects such as timers. If the batch fails, each job is run
   * alone with `handle`, so one bad job does not hold the others back.
   */
  handleBatch?(tx: Tx, jobs: Job<P>[]): Promise<void>;
  /** An error this handler will never get past: the job is dead at once. */
  isPermanent?(error: unknown): boolean;
}

/** Keeps handlers of different payload types in one list while defining each with its types. */
export function defineJobHandler<P, R = void>(handler: JobHandler<P, R>): JobHandler<unknown, unknown> {
  return handler as unknown as JobHandler<unknown, unknown>;
}

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
  const baseMs = options.backoffBaseMs ?? 1_000;
  const capMs = options.backoffCapMs ?? 600_000;
  const handlers = new Map(options.handlers.map((h) => [h.queue, h]));
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
        const jobs = worth ? await claimJobs(options.db, { queues, limit, leaseMs }) : [];
        for (const chunk of chunks(jobs, batchSize)) {
          const task = runChunk(chunk).finally(() => {
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

  /** The payload as its queue's schema reads it; an invalid one makes the job dead at once. */
  async function typedJob(job: ClaimedJob, handler: JobHandler<unknown, unknown>) {
    const parsed = handler.payloadSchema ? handler.payloadSchema.safeParse(job.payload) : undefined;
    if (parsed && !parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
      await failJob(options.db, job, `invalid payload: ${reason.join('; ')}`, {
        retryInMs: 0,
        permanent: true,
      });
      return undefined;
    }
    return { ...job, payload: parsed ? parsed.data : job.payload };
  }

  async function runChunk(jobs: ClaimedJob[]) {
    const handler = handlers.get(jobs[0]!.queue)!;
    const handleBatch = handler.handleBatch;
    if (!handleBatch || jobs.length === 1 || stopped) {
      for (const job of jobs) await run(job);
      return;
    }
    try {
      const typed: Job<unknown>[] = [];
      for (const job of jobs) {
        const ok = await typedJob(job, handler);
        if (ok) typed.push(ok);
      }
      await options.db.transaction().execute(async (tx) => {
        // The fence first, for the whole batch: only jobs this worker still holds are applied.
        const held = new Set((await completeJobs(tx, typed)).map((j) => j.id));
        const mine = typed.filter((j) => held.has(j.id));
        if (mine.length > 0) await handleBatch(tx, mine);
      });
    } catch (error) {
      options.onError?.(error);
      // Find the job that fails: each alone, with its own retries.
      for (const job of jobs) await run(job);
    }
  }

  async function run(job: ClaimedJob) {
    const handler = handlers.get(job.queue)!;
    try {
      if (stopped) return await releaseJob(options.db, job);
      const typed = await typedJob(job, handler);
      if (!typed) return;
      const performed = handler.perform ? await handler.perform(typed) : undefined;
      await options.db.transaction().execute(async (tx) => {
        // The fence first: it also locks the row, so a stale worker's effects never commit.
        if (!(await completeJob(tx, job))) return;
        await handler.handle(tx, typed, performed);
      });
    } catch (error) {
      options.onError?.(error, job);
      const permanent = handler.isPermanent?.(error) ?? false;
      await failJob(options.db, job, error, {
        retryInMs: backoffDelayMs(job.attempts, baseMs, capMs),
        permanent,
      }).catch((failed: unknown) => options.onError?.(failed, job));
    }
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
