import { formatMoney } from '../../engine/billing/index.js';
import type { ReminderEstimate, ReminderStats } from '../../engine/reminders/index.js';

/** A reminder's stats with its cost as a decimal string too (computed from integer micros). */
export function presentReminderStats(stats: ReminderStats) {
  return { ...stats, cost: formatMoney(stats.cost_micros) };
}

/** An estimate with every amount as a decimal string beside its micros, as the wizard shows it. */
export function presentEstimate(estimate: ReminderEstimate) {
  return {
    ...estimate,
    total: formatMoney(estimate.total_micros),
    available: formatMoney(estimate.available_micros),
    cost_by_market: estimate.cost_by_market.map((m) => ({ ...m, cost: formatMoney(m.cost_micros) })),
  };
}
