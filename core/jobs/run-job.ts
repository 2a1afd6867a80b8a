import type { z } from 'zod';
import type { Db, Tx } from '../db/database.js';
import { backoffDelayMs } from './backoff.js';
import {
  type ClaimedJob,
  claimDueJobs,
  completeJob,
  completeJobs,
  failJob,
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
  /**
   * A handler whose attempt is itself an outcome to keep (a webhook answered 500: logged, then
   * retried on its own schedule) calls rescheduleJob(tx, job, at) here instead of throwing,
   * which would roll the attempt's record back.
   */
  handle(tx: Tx, job: Job<P>, performed: R): Promise<void>;
  /**
   * Optional: many jobs of this queue in one transaction (with the worker's batchSize), for
   * queues of small database effects such as timers. If the batch fails, each job is run
   * alone with `handle`, so one bad job does not hold the others back.
   */
  handleBatch?(tx: Tx, jobs: Job<P>[]): Promise<void>;
  /** An error this handler will never get past: the job is dead at once. */
  isPermanent?(error: unknown): boolean;
  /**
   * Called once when the job is dead (attempts used up, a permanent error, or the lease of its
   * last attempt ran out), in the transaction that makes it dead: the handler marks its own
   * state failed with the error, so that nothing waits forever for a job that will not run.
   */
  onDead?(tx: Tx, job: Job<P>, error: string): Promise<void>;
}

/** Keeps handlers of different payload types in one list while defining each with its types. */
export function defineJobHandler<P, R = void>(handler: JobHandler<P, R>): JobHandler<unknown, unknown> {
  return handler as unknown as JobHandler<unknown, unknown>;
}

/** What running a job needs besides the job: the worker's settings. */
export interface JobRunContext {
  db: Db;
  /** Retry after random(0, min(cap, base * 2^(attempt-1))): full jitter. */
  backoffBaseMs: number;
  backoffCapMs: number;
  onError?: (error: unknown, job?: ClaimedJob) => void;
}

/**
 * One attempt of one job: parse, perform, then handle and complete in one transaction
 * (fenced on the attempt); a failure is recorded with backoff, or makes the job dead.
 */
export async function runJob(
  context: JobRunContext,
  handler: JobHandler<unknown, unknown>,
  job: ClaimedJob,
  options: { stopping?: () => boolean } = {},
): Promise<void> {
  const { db } = context;
  try {
    if (options.stopping?.()) return await releaseJob(db, job);
    const typed = await typedJob(context, job, handler);
    if (!typed) return;
    const performed = handler.perform ? await handler.perform(typed) : undefined;
    await db.transaction().execute(async (tx) => {
      // The fence first: it also locks the row, so a stale worker's effects never commit.
      if (!(await completeJob(tx, job))) return;
      await handler.handle(tx, typed, performed);
    });
  } catch (error) {
    context.onError?.(error, job);
    const permanent = handler.isPermanent?.(error) ?? false;
    await failWith(context, handler, job, error, {
      retryInMs: backoffDelayMs(job.attempts, context.backoffBaseMs, context.backoffCapMs),
      permanent,
    }).catch((failed: unknown) => context.onError?.(failed, job));
  }
}

/** Many jobs of one queue in one transaction (handleBatch), else one by one. */
export async function runJobBatch(
  context: JobRunContext,
  handler: JobHandler<unknown, unknown>,
  jobs: ClaimedJob[],
  options: { stopping?: () => boolean } = {},
): Promise<void> {
  const handleBatch = handler.handleBatch;
  if (!handleBatch || jobs.length === 1 || options.stopping?.()) {
    for (const job of jobs) await runJob(context, handler, job, options);
    return;
  }
  try {
    const typed: Job<unknown>[] = [];
    for (const job of jobs) {
      const ok = await typedJob(context, job, handler);
      if (ok) typed.push(ok);
    }
    await context.db.transaction().execute(async (tx) => {
      // The fence first, for the whole batch: only jobs this worker still holds are applied.
      const held = new Set((await completeJobs(tx, typed)).map((j) => j.id));
      const mine = typed.filter((j) => held.has(j.id));
      if (mine.length > 0) await handleBatch(tx, mine);
    });
  } catch (error) {
    context.onError?.(error);
    // Find the job that fails: each alone, with its own retries.
    for (const job of jobs) await runJob(context, handler, job, options);
  }
}

/** Tells the handler of each job a claim found dead (its last lease ran out). */
export async function reportExpired(
  context: JobRunContext,
  handlers: ReadonlyMap<string, JobHandler<unknown, unknown>>,
  expired: readonly ClaimedJob[],
): Promise<void> {
  for (const job of expired) {
    const handler = handlers.get(job.queue);
    const parsed = handler?.payloadSchema ? handler.payloadSchema.safeParse(job.payload) : undefined;
    if (!handler?.onDead || parsed?.success === false) continue;
    const onDead = handler.onDead;
    const typed = { ...job, payload: parsed ? parsed.data : job.payload };
    await context.db
      .transaction()
      .execute((tx) => onDead(tx, typed, 'the lease of its last attempt ran out'))
      .catch((error: unknown) => context.onError?.(error, job));
  }
}

/**
 * One pass without a worker loop: claims up to `limit` due jobs of these handlers' queues (at
 * the clock `now`, default the database's) and runs them concurrently. Returns how many it
 * ran. For tests that move a clock forward, and tools that run a queue once.
 */
export async function runDueJobs(
  context: JobRunContext & {
    handlers: readonly JobHandler<unknown, unknown>[];
    limit: number;
    leaseMs: number;
    now?: Date;
  },
): Promise<number> {
  const handlers = new Map(context.handlers.map((h) => [h.queue, h]));
  const { claimed, expired } = await claimDueJobs(context.db, {
    queues: [...handlers.keys()],
    limit: context.limit,
    leaseMs: context.leaseMs,
    now: context.now,
  });
  await reportExpired(context, handlers, expired);
  await Promise.all(claimed.map((job) => runJob(context, handlers.get(job.queue)!, job)));
  return claimed.length;
}

/** The payload as its queue's schema reads it; an invalid one makes the job dead at once. */
async function typedJob(
  context: JobRunContext,
  job: ClaimedJob,
  handler: JobHandler<unknown, unknown>,
): Promise<Job<unknown> | undefined> {
  const parsed = handler.payloadSchema ? handler.payloadSchema.safeParse(job.payload) : undefined;
  if (parsed && !parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
    // onDead is not told: it expects the payload its schema reads.
    await failJob(context.db, job, `invalid payload: ${reason.join('; ')}`, {
      retryInMs: 0,
      permanent: true,
    });
    return undefined;
  }
  return { ...job, payload: parsed ? parsed.data : job.payload };
}

/** failJob, and when that makes the job dead, the handler's onDead in the same transaction. */
async function failWith(
  context: JobRunContext,
  handler: JobHandler<unknown, unknown>,
  job: ClaimedJob,
  error: unknown,
  options: { retryInMs: number; permanent: boolean },
): Promise<void> {
  const onDead = handler.onDead;
  if (!onDead) {
    await failJob(context.db, job, error, options);
    return;
  }
  const parsed = handler.payloadSchema ? handler.payloadSchema.safeParse(job.payload) : undefined;
  const typed = { ...job, payload: parsed?.success ? parsed.data : job.payload };
  await context.db.transaction().execute(async (tx) => {
    if ((await failJob(tx, job, error, options)) !== 'dead') return;
    await onDead(tx, typed, (error instanceof Error ? error.message : String(error)).slice(0, 2000));
  });
}
