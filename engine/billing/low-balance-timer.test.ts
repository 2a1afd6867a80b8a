import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { runDueJobs } from '../../core/jobs/run-job.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import {
  billingBalance,
  LOW_BALANCE_QUEUE,
  lowBalanceCheckHandler,
  scheduleLowBalanceCheck,
  updateBillingSettings,
} from './index.js';

const { db } = await createTestDatabase();

async function lowBalanceAlerts() {
  const result = await sql<{ n: string }>`
    select count(*) as n from events where type = 'billing.low_balance'`.execute(db);
  return Number(result.rows[0]!.n);
}

it('is one hourly timer whatever the number of instances, and each check sets the next hour', async () => {
  const { available_micros } = await billingBalance(db);
  // The balance is under the threshold: saving the setting alerts at once.
  await db
    .transaction()
    .execute((tx) => updateBillingSettings(tx, { low_balance_micros: available_micros + 1 }));
  expect(await lowBalanceAlerts()).toBe(1);
  // Two days later the alert is due again.
  await sql`update billing_settings set last_low_balance_alert_at = now() - interval '3 days'`.execute(db);

  // Two instances start in the same hour: one timer.
  const start = new Date();
  await db.transaction().execute((tx) => scheduleLowBalanceCheck(tx, start));
  await db.transaction().execute((tx) => scheduleLowBalanceCheck(tx, new Date(start.getTime() + 1)));
  const hour = Math.floor(start.getTime() / 3600_000) * 3600_000;
  const timers = () =>
    db
      .selectFrom('jobs')
      .select(['key', 'state', 'run_at'])
      .where('queue', '=', LOW_BALANCE_QUEUE)
      .orderBy('id')
      .execute();
  expect((await timers()).map((t) => [t.key, t.state])).toEqual([[new Date(hour).toISOString(), 'pending']]);

  // Both instances' workers look for due timers at once: the check runs once.
  const pass = () =>
    runDueJobs({
      db,
      handlers: [lowBalanceCheckHandler],
      limit: 10,
      leaseMs: 60_000,
      backoffBaseMs: 1_000,
      backoffCapMs: 60_000,
    });
  const ran = await Promise.all([pass(), pass()]);
  expect(ran.sort()).toEqual([0, 1]);
  expect(await lowBalanceAlerts()).toBe(2);
  const next = new Date(hour + 3600_000);
  expect((await timers()).map((t) => [t.key, t.state, t.run_at.getTime()])).toEqual([
    [new Date(hour).toISOString(), 'done', expect.any(Number)],
    [next.toISOString(), 'pending', next.getTime()],
  ]);
});
