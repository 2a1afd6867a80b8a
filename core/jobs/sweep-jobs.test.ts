import { expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { runDueJobs } from './run-job.js';
import { JOBS_SWEEP_QUEUE, jobsSweepHandler, scheduleJobsSweep, sweepFinishedJobs } from './sweep-jobs.js';

const { db } = await createTestDatabase();
const day = 86_400_000;
const now = new Date('2026-12-04T12:00:00Z');

it('deletes done jobs after 14 days and dead ones after 90, never pending or running ones', async () => {
  const ago = (days: number) => new Date(now.getTime() - days * day);
  const rows = [
    { key: 'done-15', state: 'done', finished_at: ago(15) },
    { key: 'done-13', state: 'done', finished_at: ago(13) },
    { key: 'dead-91', state: 'dead', finished_at: ago(91) },
    { key: 'dead-30', state: 'dead', finished_at: ago(30) },
    { key: 'pending-old', state: 'pending', finished_at: null },
    { key: 'running-old', state: 'running', finished_at: null },
    { key: 'done-20', state: 'done', finished_at: ago(20) },
  ] as const;
  await db
    .insertInto('jobs')
    .values(rows.map((r) => ({ ...r, queue: 'sweep.test', created_at: ago(200), run_at: ago(200) })))
    .execute();
  // Batches of 2: the sweep goes on until a batch is not full.
  expect(await sweepFinishedJobs(db, { now, batch: 2 })).toBe(3);
  const left = await db
    .selectFrom('jobs')
    .select('key')
    .where('queue', '=', 'sweep.test')
    .orderBy('id')
    .execute();
  expect(left.map((j) => j.key)).toEqual(['done-13', 'dead-30', 'pending-old', 'running-old']);
  expect(await sweepFinishedJobs(db, { now })).toBe(0);
});

it('is one daily timer whatever the number of instances, and each sweep sets the next day', async () => {
  await db.transaction().execute((tx) => scheduleJobsSweep(tx));
  await db.transaction().execute((tx) => scheduleJobsSweep(tx));
  const timers = () =>
    db
      .selectFrom('jobs')
      .select(['key', 'state'])
      .where('queue', '=', JOBS_SWEEP_QUEUE)
      .orderBy('id')
      .execute();
  const today = new Date(Math.floor(Date.now() / day) * day);
  expect(await timers()).toEqual([{ key: today.toISOString(), state: 'pending' }]);
  const pass = () =>
    runDueJobs({
      db,
      handlers: [jobsSweepHandler],
      limit: 10,
      leaseMs: 60_000,
      backoffBaseMs: 1_000,
      backoffCapMs: 60_000,
    });
  expect((await Promise.all([pass(), pass()])).sort()).toEqual([0, 1]);
  expect(await timers()).toEqual([
    { key: today.toISOString(), state: 'done' },
    { key: new Date(today.getTime() + day).toISOString(), state: 'pending' },
  ]);
});
