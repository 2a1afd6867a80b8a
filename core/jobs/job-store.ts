import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../db/database.js';

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
  if (options.limit <= 0 || options.queues.length === 0) return { claimed: [], expired: [] };
  const now = options.now ? sql`${options.now}::timestamptz` : sql`now()`;
  const result = await sql<ClaimedJob & { state: string }>`
    with due as (
      select id from jobs
      where queue = any(${options.queues}::text[]) and state in ('pending', 'running') and run_at <= ${now}
      order by run_at, id
      limit ${options.limit}
      for update skip locked
    )
    update jobs j set
      state = case when j.state = 'running' and j.attempts >= j.max_attempts then 'dead' else 'running' end,
      last_error = case when j.state = 'running' and j.attempts >= j.max_attempts
                        then 'the lease of its last attempt ran out' else j.last_error end,
      finished_at = case when j.state = 'running' and j.attempts >= j.max_attempts then now() end,
      attempts = case when j.state = 'running' and j.attempts >= j.max_attempts then j.attempts else j.attempts + 1 end,
      run_at = ${now} + make_interval(secs => ${options.leaseMs / 1000}),
      updated_at = now()
    from due where j.id = due.id
    returning j.id, j.queue, j.key, j.payload, j.attempts, j.max_attempts, j.due_at, j.state`.execute(db);
  const byId = (a: ClaimedJob, b: ClaimedJob) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
  const strip = ({ state: _, ...job }: ClaimedJob & { state: string }) => job;
  return {
    claimed: result.rows
      .filter((r) => r.state === 'running')
      .map(strip)
      .sort(byId),
    expired: result.rows
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
  const result = await sql`
    update jobs set state = 'done', finished_at = now(), updated_at = now(), last_error = null
    where id = ${job.id} and attempts = ${job.attempts} and state = 'running'`.execute(tx);
  return Number(result.numAffectedRows ?? 0) > 0;
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
  await sql`
    update jobs set state = 'pending', run_at = ${runAt}, finished_at = null,
      last_error = ${note?.slice(0, 2000) ?? null}, updated_at = now()
    where id = ${job.id} and attempts = ${job.attempts} and state = 'done'`.execute(tx);
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
  const result = await sql`
    update jobs set
      state = ${dead ? 'dead' : 'pending'},
      run_at = now() + make_interval(secs => ${options.retryInMs / 1000}),
      finished_at = ${dead ? sql`now()` : sql`null`},
      last_error = ${message}, updated_at = now()
    where id = ${job.id} and attempts = ${job.attempts} and state = 'running'`.execute(db);
  if (Number(result.numAffectedRows ?? 0) === 0) return 'lost';
  return dead ? 'dead' : 'retry';
}

/** Gives a claimed job back untouched (the worker is stopping before it started it). */
export async function releaseJob(db: Db, job: ClaimedJob): Promise<void> {
  await sql`
    update jobs set state = 'pending', run_at = now(), attempts = attempts - 1, updated_at = now()
    where id = ${job.id} and attempts = ${job.attempts} and state = 'running'`.execute(db);
}

/** Milliseconds until a job of these queues can next be claimed; null when none is waiting. */
export async function nextDueInMs(db: Db, queues: readonly string[]): Promise<number | null> {
  const result = await sql<{ ms: number | null }>`
    select extract(epoch from min(run_at) - now()) * 1000 as ms from jobs
    where queue = any(${queues}::text[]) and state in ('pending', 'running')`.execute(db);
  const ms = result.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}
