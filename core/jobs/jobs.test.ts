import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createNotifications } from '../db/notifications.js';
import { cancelJob, enqueueJob, enqueueJobs } from './enqueue-job.js';
import { claimJobs, completeJob, failJob } from './job-store.js';
import { defineJobHandler, startJobWorker } from './job-worker.js';

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
