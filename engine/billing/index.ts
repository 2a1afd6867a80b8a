// The billing engine's boundary: what api/ and other engines may call.
export { type BillingBalance, billingBalance } from './balance.js';
export {
  assertFundsFor,
  type BillingSettings,
  getBillingSettings,
  updateBillingSettings,
} from './billing-settings.js';
export { CHARGES_CONSUMER, chargesConsumer } from './charges-consumer.js';
export {
  checkLowBalance,
  LOW_BALANCE_QUEUE,
  LOW_BALANCE_REPEAT_MS,
  lowBalanceCheckHandler,
  scheduleLowBalanceCheck,
} from './low-balance.js';
export { callingCodeOf } from './market-of.js';
export { formatMoney, parseMoney } from './money.js';
export {
  listRateCards,
  priceAt,
  priceFrom,
  publishRateCard,
  type RateCard,
  rateCardAt,
} from './rate-card.js';
export { billingCategories, parseRateCardCsv, type Rate } from './rate-card-csv.js';
export { ensureSeedRateCard } from './seed-rate-card.js';
export { monthRange, type SpendReport, spendReport } from './spend.js';
export { listTopUps, recordTopUp, type TopUp } from './top-ups.js';
