import { sql } from 'kysely';
import type { Tx } from '../../core/db/database.js';
import { enqueueJob } from '../../core/jobs/enqueue-job.js';
import { defineJobHandler } from '../../core/jobs/run-job.js';
import { append } from '../../core/log/append.js';
import { billingBalance } from './balance.js';

/** While the balance stays low, the alert repeats this often. */
export const LOW_BALANCE_REPEAT_MS = 2 * 24 * 3600_000;

/**
 * Appends `billing.low_balance` when the amount available is under the threshold and no alert
 * went out in the last two days; integrators' webhooks and the billing contact's subscription
 * receive it, and the dashboard shows a banner from the balance. When the balance recovers the
 * clock resets, so the next drop alerts at once. The settings row is locked, so two instances
 * checking together send one alert.
 */
export async function checkLowBalance(tx: Tx, now = new Date()): Promise<boolean> {
  const settings = await sql<{ last: Date | null; contact: string | null }>`
    select last_low_balance_alert_at as last, billing_contact as contact
    from billing_settings where id = 1 for update`.execute(tx);
  const { last, contact } = settings.rows[0]!;
  const balance = await billingBalance(tx);
  if (!balance.low) {
    if (last)
      await tx
        .updateTable('billing_settings')
        .set({ last_low_balance_alert_at: null })
        .where('id', '=', 1)
        .execute();
    return false;
  }
  if (last && now.getTime() - last.getTime() < LOW_BALANCE_REPEAT_MS) return false;
  await tx
    .updateTable('billing_settings')
    .set({ last_low_balance_alert_at: now })
    .where('id', '=', 1)
    .execute();
  await append(tx, [
    {
      type: 'billing.low_balance',
      source: 'billing',
      occurred_at: now,
      payload: {
        available_micros: balance.available_micros,
        threshold_micros: balance.low_balance_micros,
        currency: balance.currency,
        billing_contact: contact,
      },
    },
  ]);
  return true;
}

/** The queue of the hourly low-balance check (a core/jobs timer). */
export const LOW_BALANCE_QUEUE = 'billing.low-balance';
const HOUR_MS = 3600_000;

/**
 * Sets the timer of the hourly check for the current hour, due now. The key is the hour, so
 * every instance that starts sets the same timer: one check an hour runs, wherever (the
 * setInterval this replaces ran in every instance). Idempotent: a timer for this hour already
 * there (set by a start, or by the previous hour's check) is left as it is.
 */
export async function scheduleLowBalanceCheck(tx: Tx, now = new Date()): Promise<void> {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  await enqueueJob(tx, { queue: LOW_BALANCE_QUEUE, key: new Date(hour).toISOString(), runAt: now });
}

/**
 * The timer's handler: checks the balance (checkLowBalance) and sets the timer of the next
 * hour, in the transaction that completes this one, so the chain never breaks or forks.
 */
export const lowBalanceCheckHandler = defineJobHandler({
  queue: LOW_BALANCE_QUEUE,
  async handle(tx) {
    const now = new Date();
    await checkLowBalance(tx, now);
    const next = (Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS;
    await enqueueJob(tx, {
      queue: LOW_BALANCE_QUEUE,
      key: new Date(next).toISOString(),
      runAt: new Date(next),
    });
  },
});
