import { type BillingBalance, formatMoney } from '../../engine/billing/index.js';

/** The balance as REST and the dashboard show it: money as decimal strings, available also in micros. */
export function presentBalance(balance: BillingBalance) {
  return {
    currency: balance.currency,
    top_ups: formatMoney(balance.top_ups_micros),
    spent: formatMoney(balance.spent_micros),
    reserved: formatMoney(balance.reserved_micros),
    available: formatMoney(balance.available_micros),
    available_micros: balance.available_micros,
    low_balance_threshold: formatMoney(balance.low_balance_micros),
    low: balance.low,
    refuse_when_empty: balance.refuse_when_empty,
  };
}
