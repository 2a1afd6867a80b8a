import { sql } from 'kysely';
import type { Tx } from '../db/database.js';

/** The channel a worker LISTENs on; the payload is the queue's name. */
export const JOBS_CHANNEL = 'parley_jobs';

export interface NewJob {
  queue: string;
  /** Idempotency key: a job with the same (queue, key) already there makes this a no-op. */
  key?: string;
  /** When it is due (a timer); default now. */
  runAt?: Date;
  payload?: unknown;
  /** Attempts before the job is dead. Default 10. */
  maxAttempts?: number;
}

/**
 * Enqueues jobs in the caller's transaction, so a job exists exactly when the state change
 * that asks for it commits. Returns the ids of jobs added (a duplicate key adds none). The
 * NOTIFY is delivered on commit and wakes workers of the queue at once; a timer set for later
 * is picked up when it is due (each worker sleeps until its next due job).
 */
export async function enqueueJobs(tx: Tx, jobs: readonly NewJob[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const ids: string[] = [];
  for (let i = 0; i < jobs.length; i += 5_000) {
    const chunk = jobs.slice(i, i + 5_000);
    const rows = await tx
      .insertInto('jobs')
      .values(
        chunk.map((job) => {
          const runAt = job.runAt ?? new Date();
          return {
            queue: job.queue,
            key: job.key ?? null,
            payload: JSON.stringify(job.payload ?? {}),
            run_at: runAt,
            due_at: runAt,
            max_attempts: job.maxAttempts ?? 10,
          };
        }),
      )
      .onConflict((oc) => oc.columns(['queue', 'key']).doNothing())
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  const queues = [...new Set(jobs.map((j) => j.queue))];
  for (const queue of queues) await sql`select pg_notify(${JOBS_CHANNEL}, ${queue})`.execute(tx);
  return ids;
}

/** One job; returns its id, or null when (queue, key) was already enqueued. */
export async function enqueueJob(tx: Tx, job: NewJob): Promise<string | null> {
  const [id] = await enqueueJobs(tx, [job]);
  return id ?? null;
}

/** Cancels a pending job by key (a timer no longer wanted); true when one was cancelled. */
export async function cancelJob(tx: Tx, queue: string, key: string): Promise<boolean> {
  const result = await tx
    .updateTable('jobs')
    .set({ state: 'dead', last_error: 'cancelled', finished_at: new Date(), updated_at: new Date() })
    .where('queue', '=', queue)
    .where('key', '=', key)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Enqueues the job, or makes the job already there with this (queue, key) due again at
 * `runAt` (default now), whatever its state: an admin's replay, a paused job resumed. A run in
 * flight is fenced out (its completion needs the job still running on its attempt), and its
 * attempt count is kept so that the fence holds; a finished job starts counting again.
 */
export async function requeueJob(tx: Tx, job: NewJob & { key: string }): Promise<void> {
  const runAt = job.runAt ?? new Date();
  await sql`
    insert into jobs (queue, key, payload, run_at, due_at, max_attempts)
    values (${job.queue}, ${job.key}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${runAt}, ${runAt},
            ${job.maxAttempts ?? 10})
    on conflict (queue, key) do update set
      state = 'pending', run_at = excluded.run_at, due_at = excluded.due_at, payload = excluded.payload,
      attempts = case when jobs.state = 'running' then jobs.attempts else 0 end,
      last_error = null, finished_at = null, updated_at = now()`.execute(tx);
  await sql`select pg_notify(${JOBS_CHANNEL}, ${job.queue})`.execute(tx);
}
