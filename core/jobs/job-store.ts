import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../db/database.js';
import { claimLeased, fencedUpdate, type LeasedTable, nextLeasedDueInMs } from './leased-rows.js';

/** A job is due at run_at, which a claim moves to its lease's end. */
const jobsTable: LeasedTable = { name: 'jobs', due: 'run_at', lease: 'run_at' };

/** A job claimed by one worker for one attempt. */
export interface ClaimedJob {
  id: string;
  queue: string;
  key: string | null;
  payload: unknown;
  /** Attempts including this one: the fence for completing or failing it. */
  attempts: number;
  max_attempts: number;
  due_at: Date;
}

export interface ClaimOptions {
  queues: readonly string[];
  limit: number;
  leaseMs: number;
  /** The clock the claim reads; default the database's. Tests move it forward instead of waiting. */
  now?: Date;
}

/**
 * Claims up to `limit` due jobs of these queues: FOR UPDATE SKIP LOCKED lets instances share
 * the table without waiting on each other; the lease moves run_at to its end, so a worker that
 * dies leaves the job to be claimed again when the lease runs out. A job whose lease ran out
 * on its last attempt is dead instead of claimed (it keeps killing its workers).
 */
export async function claimJobs(db: Db, options: ClaimOptions): Promise<ClaimedJob[]> {
  return (await claimDueJobs(db, options)).claimed;
}

/**
 * claimJobs, also returning the jobs this claim found dead (their lease ran out on their last
 * attempt), so that the worker can tell their handler once.
 */
export async function claimDueJobs(
  db: Db,
  options: ClaimOptions,
): Promise<{ claimed: ClaimedJob[]; expired: ClaimedJob[] }> {
  if (options.queues.length === 0) return { claimed: [], expired: [] };
  // The claim's `attempts` and `state` read the row before the claim: a running job whose lease
  // ran out on its last attempt becomes dead instead of running again.
  const lastLeaseRanOut = sql`(t.state = 'running' and t.attempts >= t.max_attempts)`;
  const rows = await claimLeased<ClaimedJob & { state: string }>(db, jobsTable, {
    where: sql`queue = any(${options.queues}::text[]) and state in ('pending', 'running')`,
    limit: options.limit,
    leaseMs: options.leaseMs,
    now: options.now,
    attempts: sql`case when ${lastLeaseRanOut} then t.attempts else t.attempts + 1 end`,
    set: sql`
      state = case when ${lastLeaseRanOut} then 'dead' else 'running' end,
      last_error = case when ${lastLeaseRanOut} then 'the lease of its last attempt ran out' else t.last_error end,
      finished_at = case when ${lastLeaseRanOut} then now() end`,
    returning: sql`t.id, t.queue, t.key, t.payload, t.attempts, t.max_attempts, t.due_at, t.state`,
  });
  const byId = (a: ClaimedJob, b: ClaimedJob) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
  const strip = ({ state: _, ...job }: ClaimedJob & { state: string }) => job;
  return {
    claimed: rows
      .filter((r) => r.state === 'running')
      .map(strip)
      .sort(byId),
    expired: rows
      .filter((r) => r.state === 'dead')
      .map(strip)
      .sort(byId),
  };
}

/**
 * Marks the job done inside `tx`, the transaction that also holds the job's effects, and
 * locks it. Fenced on the attempt: false (and nothing must be committed) when the lease was
 * lost and another worker has claimed the job since, or it is no longer running.
 */
export async function completeJob(tx: Tx, job: ClaimedJob): Promise<boolean> {
  return fencedUpdate(tx, jobsTable, job, {
    set: sql`state = 'done', finished_at = now(), last_error = null`,
    where: sql`state = 'running'`,
  });
}

/**
 * completeJob for many jobs in one statement: returns the jobs this worker still held (the
 * others were claimed again by someone else and must not be applied here).
 */
export async function completeJobs(tx: Tx, jobs: readonly ClaimedJob[]): Promise<ClaimedJob[]> {
  if (jobs.length === 0) return [];
  const result = await sql<{ id: string }>`
    update jobs j set state = 'done', finished_at = now(), updated_at = now(), last_error = null
    from unnest(${jobs.map((j) => j.id)}::bigint[], ${jobs.map((j) => j.attempts)}::int[]) as held(id, attempts)
    where j.id = held.id and j.attempts = held.attempts and j.state = 'running'
    returning j.id`.execute(tx);
  const kept = new Set(result.rows.map((r) => String(r.id)));
  return jobs.filter((j) => kept.has(j.id));
}

/**
 * Inside the transaction that has just completed `job` (completeJob, which fenced and locked
 * it): makes it pending again for another attempt at `runAt`, keeping what this attempt
 * committed. For handlers whose attempt is itself a recorded outcome (a webhook delivery that
 * got a 500 is logged, then retried on its own schedule), unlike a thrown error, which rolls
 * the attempt's effects back.
 */
export async function rescheduleJob(
  tx: Tx,
  job: Pick<ClaimedJob, 'id' | 'attempts'>,
  runAt: Date,
  note: string | null,
): Promise<void> {
  await fencedUpdate(tx, jobsTable, job, {
    set: sql`state = 'pending', run_at = ${runAt}, finished_at = null, last_error = ${note?.slice(0, 2000) ?? null}`,
    where: sql`state = 'done'`,
  });
}

export type FailOutcome = 'retry' | 'dead' | 'lost';

/**
 * Records a failed attempt: another attempt after `retryInMs`, or dead after the last one,
 * with the error. Fenced like completeJob: a stale worker's failure changes nothing ('lost').
 */
export async function failJob(
  db: DbOrTx,
  job: ClaimedJob,
  error: unknown,
  options: { retryInMs: number; permanent?: boolean },
): Promise<FailOutcome> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const dead = options.permanent === true || job.attempts >= job.max_attempts;
  const held = await fencedUpdate(db, jobsTable, job, {
    set: sql`
      state = ${dead ? 'dead' : 'pending'},
      run_at = now() + make_interval(secs => ${options.retryInMs / 1000}),
      finished_at = ${dead ? sql`now()` : sql`null`},
      last_error = ${message}`,
    where: sql`state = 'running'`,
  });
  if (!held) return 'lost';
  return dead ? 'dead' : 'retry';
}

/** Gives a claimed job back untouched (the worker is stopping before it started it). */
export async function releaseJob(db: Db, job: ClaimedJob): Promise<void> {
  await fencedUpdate(db, jobsTable, job, {
    set: sql`state = 'pending', run_at = now(), attempts = attempts - 1`,
    where: sql`state = 'running'`,
  });
}

/** Milliseconds until a job of these queues can next be claimed; null when none is waiting. */
export async function nextDueInMs(db: Db, queues: readonly string[]): Promise<number | null> {
  return nextLeasedDueInMs(
    db,
    jobsTable,
    sql`queue = any(${queues}::text[]) and state in ('pending', 'running')`,
  );
}
