import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createNotifications } from '../db/notifications.js';
import { cancelJob, enqueueJob, enqueueJobs, requeueJob } from './enqueue-job.js';
import { claimJobs, completeJob, failJob, rescheduleJob } from './job-store.js';
import { defineJobHandler, startJobWorker } from './job-worker.js';
import { runDueJobs } from './run-job.js';

const database = await createTestDatabase({ max: 12 });
const { db } = database;
const notifications = createNotifications({ databaseUrl: database.url });
afterAll(() => notifications.stop());

beforeAll(async () => {
  await sql`create table effects (job_id bigint, note text)`.execute(db);
});

async function job(id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function waitFor(condition: () => Promise<boolean>) {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 5));
}

const effectHandler = defineJobHandler({
  queue: 'effects',
  payloadSchema: z.object({ note: z.string() }),
  async handle(tx, j) {
    await sql`insert into effects (job_id, note) values (${j.id}, ${j.payload.note})`.execute(tx);
  },
});

describe('enqueueJob', () => {
  it('exists only when the caller commits; a second enqueue of the same key adds nothing', async () => {
    await db
      .transaction()
      .execute(async (tx) => {
        await enqueueJob(tx, { queue: 'q1', key: 'a', payload: { n: 1 } });
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await db.selectFrom('jobs').select('id').where('queue', '=', 'q1').execute()).toEqual([]);
    const first = await db
      .transaction()
      .execute((tx) => enqueueJob(tx, { queue: 'q1', key: 'a', payload: { n: 1 } }));
    const again = await db
      .transaction()
      .execute((tx) => enqueueJob(tx, { queue: 'q1', key: 'a', payload: { n: 2 } }));
    expect(again).toBeNull();
    expect((await job(first!)).payload).toEqual({ n: 1 });
    expect(await db.transaction().execute((tx) => cancelJob(tx, 'q1', 'a'))).toBe(true);
    expect(await job(first!)).toMatchObject({ state: 'dead', last_error: 'cancelled' });
  });
});

describe('the lease fence', () => {
  it('a worker whose lease ran out and was claimed again can neither complete nor fail the job', async () => {
    const id = await db.transaction().execute((tx) => enqueueJob(tx, { queue: 'fence', payload: {} }));
    const [stale] = await claimJobs(db, { queues: ['fence'], limit: 10, leaseMs: 1 });
    expect(stale).toMatchObject({ id, attempts: 1 });
    let fresh: Awaited<ReturnType<typeof claimJobs>>[number] | undefined;
    await waitFor(async () => {
      [fresh] = await claimJobs(db, { queues: ['fence'], limit: 10, leaseMs: 60_000 });
      return fresh !== undefined;
    });
    expect(fresh).toMatchObject({ id, attempts: 2 });
    expect(await db.transaction().execute((tx) => completeJob(tx, stale!))).toBe(false);
    expect(await failJob(db, stale!, new Error('late'), { retryInMs: 0 })).toBe('lost');
    expect(await job(id!)).toMatchObject({ state: 'running', attempts: 2, last_error: null });
    expect(await db.transaction().execute((tx) => completeJob(tx, fresh!))).toBe(true);
    expect(await job(id!)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a job whose lease runs out on its last attempt is dead, not run again', async () => {
    const id = await db.transaction().execute((tx) => enqueueJob(tx, { queue: 'fence2', maxAttempts: 1 }));
    await claimJobs(db, { queues: ['fence2'], limit: 1, leaseMs: 1 });
    await waitFor(
      async () =>
        (await claimJobs(db, { queues: ['fence2'], limit: 1, leaseMs: 1 })).length === 0 &&
        (await job(id!)).state === 'dead',
    );
    expect(await job(id!)).toMatchObject({
      state: 'dead',
      attempts: 1,
      last_error: 'the lease of its last attempt ran out',
    });
  });
});

describe('startJobWorker', () => {
  it('runs each job once, its effect committed with its completion; a timer not before it is due', async () => {
    const worker = startJobWorker({ db, notifications, handlers: [effectHandler], concurrency: 4 });
    const dueAt = new Date(Date.now() + 300);
    const ids = await db.transaction().execute((tx) =>
      enqueueJobs(tx, [
        ...Array.from({ length: 20 }, (_, n) => ({
          queue: 'effects',
          key: `now-${n}`,
          payload: { note: `now ${n}` },
        })),
        { queue: 'effects', key: 'later', runAt: dueAt, payload: { note: 'later' } },
      ]),
    );
    expect(ids).toHaveLength(21);
    await waitFor(
      async () =>
        (
          await db
            .selectFrom('jobs')
            .select('id')
            .where('queue', '=', 'effects')
            .where('state', '=', 'done')
            .execute()
        ).length === 21,
    );
    const effects = await sql<{
      note: string;
      n: string;
    }>`select note, count(*) as n from effects group by note order by note`.execute(db);
    expect(effects.rows).toHaveLength(21);
    expect(effects.rows.every((r) => r.n === '1')).toBe(true);
    const later = await sql<{ early: boolean }>`
      select j.finished_at < j.due_at as early from jobs j where j.key = 'later'`.execute(db);
    expect(later.rows).toEqual([{ early: false }]);
    await worker.stop();
  });

  it('retries a failing job with backoff, rolls back its effects each time, and leaves it dead with the last error', async () => {
    let calls = 0;
    const worker = startJobWorker({
      db,
      notifications,
      backoffBaseMs: 5,
      handlers: [
        defineJobHandler({
          queue: 'failing',
          async handle(tx, j) {
            calls += 1;
            await sql`insert into effects (job_id, note) values (${j.id}, 'partial')`.execute(tx);
            throw new Error(`attempt ${j.attempts} failed`);
          },
        }),
      ],
    });
    const id = await db.transaction().execute((tx) => enqueueJob(tx, { queue: 'failing', maxAttempts: 3 }));
    await waitFor(async () => (await job(id!)).state === 'dead');
    expect(await job(id!)).toMatchObject({ state: 'dead', attempts: 3, last_error: 'attempt 3 failed' });
    expect(calls).toBe(3);
    expect((await sql`select * from effects where job_id = ${id}`.execute(db)).rows).toEqual([]);
    await worker.stop();
  });

  it('a payload its schema refuses is dead at once, naming the field', async () => {
    const worker = startJobWorker({ db, notifications, handlers: [effectHandler] });
    const id = await db
      .transaction()
      .execute((tx) => enqueueJob(tx, { queue: 'effects', payload: { note: 7 } }));
    await waitFor(async () => (await job(id!)).state === 'dead');
    expect(await job(id!)).toMatchObject({
      attempts: 1,
      last_error: 'invalid payload: note: Invalid input: expected string, received number',
    });
    await worker.stop();
  });
});

describe('handlers that keep their attempts, die, or are requeued', () => {
  const pass = (handlers: Parameters<typeof runDueJobs>[0]['handlers'], now?: Date) =>
    runDueJobs({ db, handlers, limit: 10, leaseMs: 60_000, now, backoffBaseMs: 5, backoffCapMs: 5 });

  it('a handler that reschedules keeps what each attempt committed and runs again when it said', async () => {
    const rescheduling = defineJobHandler({
      queue: 'resched',
      async handle(tx, j) {
        await sql`insert into effects (job_id, note) values (${j.id}, ${`attempt ${j.attempts}`})`.execute(
          tx,
        );
        if (j.attempts < 3) await rescheduleJob(tx, j, new Date(start + j.attempts * 10_000), 'not yet');
      },
    });
    const start = Date.now() + 1000;
    const id = await db.transaction().execute((tx) => enqueueJob(tx, { queue: 'resched' }));
    expect(await pass([rescheduling], new Date(start))).toBe(1);
    expect(await job(id!)).toMatchObject({ state: 'pending', attempts: 1, last_error: 'not yet' });
    expect(await pass([rescheduling], new Date(start + 9_999))).toBe(0);
    expect(await pass([rescheduling], new Date(start + 10_000))).toBe(1);
    expect(await pass([rescheduling], new Date(start + 20_000))).toBe(1);
    expect(await job(id!)).toMatchObject({ state: 'done', attempts: 3, last_error: null });
    const notes = await sql<{
      note: string;
    }>`select note from effects where job_id = ${id} order by note`.execute(db);
    expect(notes.rows.map((r) => r.note)).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  });

  it('onDead is told once, in the transaction that makes the job dead, with the last error', async () => {
    const dying = defineJobHandler({
      queue: 'dying',
      async handle() {
        throw new Error('always fails');
      },
      async onDead(tx, j, error) {
        await sql`insert into effects (job_id, note) values (${j.id}, ${`dead: ${error}`})`.execute(tx);
      },
    });
    const id = await db.transaction().execute((tx) => enqueueJob(tx, { queue: 'dying', maxAttempts: 2 }));
    await waitFor(async () => {
      await pass([dying]);
      return (await job(id!)).state === 'dead';
    });
    // A job whose last lease ran out (its worker died) is reported too.
    const expired = await db
      .transaction()
      .execute((tx) => enqueueJob(tx, { queue: 'dying', maxAttempts: 1 }));
    await claimJobs(db, { queues: ['dying'], limit: 10, leaseMs: 1 });
    await waitFor(async () => {
      await pass([dying]);
      return (await job(expired!)).state === 'dead';
    });
    const notes = await sql<{ job_id: string; note: string }>`
      select job_id::text, note from effects where job_id in (${id}, ${expired}) order by job_id`.execute(db);
    expect(notes.rows).toEqual([
      { job_id: id, note: 'dead: always fails' },
      { job_id: expired, note: 'dead: the lease of its last attempt ran out' },
    ]);
  });

  it('requeueJob fences out a run in flight, and makes a finished job run again', async () => {
    const id = await db
      .transaction()
      .execute((tx) => enqueueJob(tx, { queue: 'requeue', key: 'r', payload: { note: 'first' } }));
    const [inFlight] = await claimJobs(db, { queues: ['requeue'], limit: 1, leaseMs: 60_000 });
    await db
      .transaction()
      .execute((tx) => requeueJob(tx, { queue: 'requeue', key: 'r', payload: { note: 'again' } }));
    expect(await db.transaction().execute((tx) => completeJob(tx, inFlight!))).toBe(false);
    const [fresh] = await claimJobs(db, { queues: ['requeue'], limit: 1, leaseMs: 60_000 });
    expect(fresh).toMatchObject({ id, attempts: 2, payload: { note: 'again' } });
    expect(await db.transaction().execute((tx) => completeJob(tx, fresh!))).toBe(true);
    await db.transaction().execute((tx) => requeueJob(tx, { queue: 'requeue', key: 'r' }));
    expect(await job(id!)).toMatchObject({ state: 'pending', attempts: 0, finished_at: null });
  });
});
