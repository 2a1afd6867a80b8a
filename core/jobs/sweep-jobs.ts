import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../db/database.js';
import { enqueueJob } from './enqueue-job.js';
import { defineJobHandler } from './run-job.js';

/** The queue of the daily sweep of finished jobs (itself a core/jobs timer). */
export const JOBS_SWEEP_QUEUE = 'jobs.sweep';
const DAY_MS = 86_400_000;

/**
 * How long finished jobs stay. Done ones keep their (queue, key) idempotency for two weeks,
 * far longer than any redelivery of the work that enqueued them (a consumer replays at most
 * its last uncommitted batch); dead ones stay three months for someone to read why.
 */
export const jobRetention = { doneDays: 14, deadDays: 90 };

/**
 * Deletes finished jobs older than their retention, in batches so no statement holds many
 * locks: without it, the hourly timers and every webhook delivery would grow the table
 * forever. Pending and running jobs are never touched. Returns how many were deleted.
 */
export async function sweepFinishedJobs(
  db: DbOrTx,
  options: { now?: Date; doneDays?: number; deadDays?: number; batch?: number } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const doneBefore = new Date(now.getTime() - (options.doneDays ?? jobRetention.doneDays) * DAY_MS);
  const deadBefore = new Date(now.getTime() - (options.deadDays ?? jobRetention.deadDays) * DAY_MS);
  const batch = options.batch ?? 5_000;
  let deleted = 0;
  for (;;) {
    const result = await sql`
      delete from jobs where id in (
        select id from jobs
        where (state = 'done' and finished_at < ${doneBefore}) or (state = 'dead' and finished_at < ${deadBefore})
        limit ${batch} for update skip locked)`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < batch) return deleted;
  }
}

/** Sets today's sweep timer (UTC day), due now; every instance sets the same one. */
export async function scheduleJobsSweep(tx: Tx, now = new Date()): Promise<void> {
  const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  await enqueueJob(tx, { queue: JOBS_SWEEP_QUEUE, key: new Date(day).toISOString(), runAt: now });
}

/** The sweep's timer: sweeps, then sets tomorrow's, in the transaction that completes this one. */
export const jobsSweepHandler = defineJobHandler({
  queue: JOBS_SWEEP_QUEUE,
  async handle(tx) {
    const now = new Date();
    await sweepFinishedJobs(tx, { now });
    const next = (Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS;
    await enqueueJob(tx, {
      queue: JOBS_SWEEP_QUEUE,
      key: new Date(next).toISOString(),
      runAt: new Date(next),
    });
  },
});
