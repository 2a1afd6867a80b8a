// `npm run bench -- jobs [--timers N] [--json FILE]`: N timers (default 100,000) all due at
// the same moment, fired by two app instances (two processes, test/fixtures/job-worker.ts)
// sharing the jobs table. Reports whether each fired exactly once, timers fired per second
// (from the due time to the last firing) and the delay from due to fired (p50/p99/max).
import { sql } from 'kysely';
import { createDatabase } from '../core/db/database.js';
import { migrate } from '../core/db/migrate.js';
import { enqueueJobs } from '../core/jobs/enqueue-job.js';
import { startFixture } from '../test/setup/child-process.js';
import { argValue, writeBenchJson } from './_json.js';
import { benchDatabase, percentile, printTable } from './_support.js';

export default async function jobsBench(args: string[]) {
  const timers = Number(argValue(args, '--timers') ?? 100_000);
  const concurrency = argValue(args, '--concurrency') ?? '4';
  const batchSize = argValue(args, '--batch') ?? '200';
  const json = argValue(args, '--json');
  const bench = await benchDatabase('jobs');
  const handle = createDatabase(bench.url, { max: 4 });
  const { db } = handle;
  try {
    await migrate(handle.pool);
    await sql`create table job_effects (job_id bigint, worker text, due_at timestamptz, fired_at timestamptz)`.execute(
      db,
    );
    const instances = ['a', 'b'].map((name) =>
      startFixture('test/fixtures/job-worker.ts', [
        bench.url,
        'timer',
        '60000',
        concurrency,
        name,
        batchSize,
      ]),
    );
    await Promise.all(instances.map((i) => i.ready));
    // Due a little after the enqueue commits, so every timer is waiting when the moment comes.
    const enqueueStart = performance.now();
    const dueAt = new Date(Date.now() + 3_000 + timers / 3);
    await db.transaction().execute((tx) =>
      enqueueJobs(
        tx,
        Array.from({ length: timers }, (_, n) => ({
          queue: 'timer',
          key: `t${n}`,
          runAt: dueAt,
          payload: { n },
        })),
      ),
    );
    const enqueueMs = performance.now() - enqueueStart;
    if (Date.now() >= dueAt.getTime()) throw new Error('enqueueing took longer than the lead time');
    for (;;) {
      const done = await sql<{ n: string }>`select count(*) as n from jobs where state = 'done'`.execute(db);
      if (Number(done.rows[0]?.n) >= timers) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.exit));

    const summary = await sql<{ fired: string; distinct_jobs: string; seconds: number; per_worker: string }>`
      select count(*) as fired, count(distinct job_id) as distinct_jobs,
        extract(epoch from max(fired_at) - min(due_at)) as seconds,
        string_agg(distinct worker, ',') as per_worker
      from job_effects`.execute(db);
    const delays = await sql<{ ms: number }>`
      select extract(epoch from fired_at - due_at) * 1000 as ms from job_effects order by 1`.execute(db);
    const sorted = delays.rows.map((r) => Number(r.ms));
    const split = await sql<{ worker: string; n: string }>`
      select worker, count(*) as n from job_effects group by worker order by worker`.execute(db);
    const row = summary.rows[0]!;
    const metrics = {
      timers,
      fired: Number(row.fired),
      fired_exactly_once: Number(row.fired) === timers && Number(row.distinct_jobs) === timers ? 1 : 0,
      fired_per_second: Math.round(timers / Number(row.seconds)),
      due_to_fired_p50_ms: Math.round(percentile(sorted, 0.5)),
      due_to_fired_p99_ms: Math.round(percentile(sorted, 0.99)),
      due_to_fired_max_ms: Math.round(sorted.at(-1) ?? Number.NaN),
      enqueue_ms: Math.round(enqueueMs),
    };
    printTable(`jobs: ${timers} timers due at once, two instances`, [
      ...Object.entries(metrics).map(([k, v]) => [k, v.toLocaleString('en')] as [string, string]),
      ['split', split.rows.map((r) => `${r.worker} ${Number(r.n).toLocaleString('en')}`).join(', ')],
    ]);
    if (json) {
      const met = await writeBenchJson(json, 'jobs', metrics, [
        { metric: 'fired_exactly_once', kind: 'equals', value: 1 },
        { metric: 'fired_per_second', kind: 'min', value: 2_000 },
      ]);
      console.log(`\nwrote ${json} (targets met: ${met})`);
    }
  } finally {
    await handle.close();
    await bench.drop();
  }
}
