import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { startFixture } from '../../test/setup/child-process.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { enqueueJobs } from './enqueue-job.js';

// Two app instances (two processes) share one jobs table: every job's effect is applied
// exactly once, including after one instance is killed with SIGKILL in the middle.

const database = await createTestDatabase({ max: 4 });
const { db } = database;
const total = 3000;

async function count(query: ReturnType<typeof sql<{ n: string }>>) {
  return Number((await query.execute(db)).rows[0]?.n);
}

async function waitFor(condition: () => Promise<boolean>) {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 10));
}

it('two instances share the jobs without doubles, and a kill -9 of one loses nothing', async () => {
  await sql`create table job_effects (job_id bigint, worker text, due_at timestamptz, fired_at timestamptz)`.execute(
    db,
  );
  const fixture = 'test/fixtures/job-worker.ts';
  // a runs jobs in batches of 20 per transaction, b one by one: both paths share the fence.
  const a = startFixture(fixture, [database.url, 'shared', '1000', '8', 'a', '20']);
  const b = startFixture(fixture, [database.url, 'shared', '1000', '8', 'b', '1']);
  await Promise.all([a.ready, b.ready]);
  await db.transaction().execute((tx) =>
    enqueueJobs(
      tx,
      Array.from({ length: total }, (_, n) => ({ queue: 'shared', key: `k${n}`, payload: { n } })),
    ),
  );
  await waitFor(
    async () => (await count(sql`select count(*) as n from job_effects where worker = 'a'`)) >= 300,
  );
  a.child.kill('SIGKILL');
  expect(await a.exit).toBe('SIGKILL');
  await waitFor(
    async () => (await count(sql`select count(*) as n from jobs where state = 'done'`)) === total,
  );
  b.child.kill('SIGTERM');
  expect(await b.exit).toBe(0);

  expect(await count(sql`select count(*) as n from job_effects`)).toBe(total);
  expect(await count(sql`select count(distinct job_id) as n from job_effects`)).toBe(total);
  expect(await count(sql`select count(*) as n from jobs where state <> 'done'`)).toBe(0);
  // Both instances took part.
  const workers = await sql<{
    worker: string;
  }>`select distinct worker from job_effects order by worker`.execute(db);
  expect(workers.rows).toEqual([{ worker: 'a' }, { worker: 'b' }]);
});
