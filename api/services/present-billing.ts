import { AppError } from '../../core/errors.js';
import {
  type BillingBalance,
  formatMoney,
  parseMoney,
  type RateCard,
  type SpendReport,
} from '../../engine/billing/index.js';

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

export function presentRateCard(card: RateCard) {
  return {
    id: card.id,
    effective_from: card.effective_from,
    currency: card.currency,
    source: card.source,
    created_by: card.created_by,
    rates: card.rates.map((r) => ({
      calling_code: r.calling_code,
      market: r.market,
      category: r.category,
      rate: formatMoney(r.rate_micros),
    })),
  };
}

/** Spend with each amount also as a decimal string, for REST and the dashboard alike. */
export function presentSpend(report: SpendReport) {
  const withMoney = <T extends { amount_micros: number }>(row: T) => ({
    ...row,
    amount: formatMoney(row.amount_micros),
  });
  return {
    ...report,
    total: formatMoney(report.total_micros),
    by_day: report.by_day.map(withMoney),
    by_channel: report.by_channel.map(withMoney),
    by_market: report.by_market.map(withMoney),
  };
}

/** A top-up's amount in micros: a decimal above zero (a zero or negative top-up is no payment). */
export function topUpAmount(amount: string): number {
  const micros = parseMoney(amount, 'amount');
  if (micros <= 0) {
    throw new AppError('validation_failed', 'amount must be more than 0', [
      { field: 'amount', reason: 'must be more than 0' },
    ]);
  }
  return micros;
}
