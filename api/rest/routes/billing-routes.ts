import { inTransaction } from '../../../core/db/in-transaction.js';
import { AppError } from '../../../core/errors.js';
import {
  billingBalance,
  formatMoney,
  listTopUps,
  monthRange,
  parseMoney,
  parseRateCardCsv,
  publishRateCard,
  type RateCard,
  rateCardAt,
  recordTopUp,
  type SpendReport,
  spendReport,
  type TopUp,
} from '../../../engine/billing/index.js';
import { actorLabel } from '../../services/contacts.js';
import {
  presentBalance,
  presentRateCard,
  presentSpend,
  topUpAmount,
} from '../../services/present-billing.js';
import { defineRoute } from '../define-route.js';
import {
  balanceSchema,
  rateCardCreateSchema,
  rateCardSchema,
  spendQuerySchema,
  spendSchema,
  topUpCreateSchema,
  topUpListSchema,
  topUpSchema,
} from '../schemas/billing.schema.js';

const tag = 'Billing';

export const billingRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/billing/balance',
    operationId: 'getBillingBalance',
    summary: 'Amount available',
    description:
      'Paid top-ups − spend on delivered template messages − funds reserved for template messages still pending (reserved at the dearest template price of the market until Meta reports the real one).',
    tag,
    permission: 'billing.read',
    success: { status: 200, description: 'Balance', schema: balanceSchema },
    handler: async ({ services }) => presentBalance(await billingBalance(services.db)),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/billing/spend',
    operationId: 'getBillingSpend',
    summary: 'Spend in a period',
    description: 'Spend on delivered billable messages by day (UTC), by channel, and by market and category.',
    tag,
    permission: 'billing.read',
    query: spendQuerySchema,
    success: { status: 200, description: 'Spend', schema: spendSchema },
    handler: async ({ query, services }) => {
      const month = monthRange(new Date());
      const range = {
        from: query.from ? new Date(query.from) : month.from,
        until: query.until ? new Date(query.until) : month.until,
      };
      if (range.until <= range.from) {
        throw new AppError('validation_failed', 'until must be after from', [
          { field: 'until', reason: 'must be after from' },
        ]);
      }
      return presentSpend(await spendReport(services.db, range));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/billing/top-ups',
    operationId: 'listTopUps',
    summary: 'List top-ups',
    tag,
    permission: 'billing.read',
    success: { status: 200, description: 'Top-ups, newest first', schema: topUpListSchema },
    handler: async ({ services }) => ({ data: (await listTopUps(services.db)).map(presentTopUp) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/billing/top-ups',
    operationId: 'createTopUp',
    summary: 'Record a top-up',
    description:
      'Records funds paid outside Parley (an invoice, a transfer). The reference makes it idempotent: the same reference and amount again returns the first top-up; with another amount it is a 409.',
    tag,
    permission: 'billing.manage',
    body: topUpCreateSchema,
    success: { status: 201, description: 'Recorded', schema: topUpSchema },
    errors: [409],
    handler: async ({ body, actor, services }) => {
      const amountMicros = topUpAmount(body.amount);
      const { topUp } = await inTransaction(services.db, (tx) =>
        recordTopUp(tx, {
          amountMicros,
          currency: body.currency,
          reference: body.reference,
          note: body.note,
          by: actorLabel(actor),
        }),
      );
      return presentTopUp(topUp);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/billing/rate-card',
    operationId: 'getRateCard',
    summary: 'The rate card in force',
    tag,
    permission: 'billing.read',
    success: { status: 200, description: 'Rate card', schema: rateCardSchema },
    errors: [404],
    handler: async ({ services }) => {
      const card = await rateCardAt(services.db, new Date());
      if (!card) throw new AppError('not_found', 'no rate card is in force yet');
      return presentRateCard(card);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/billing/rate-card',
    operationId: 'publishRateCard',
    summary: 'Publish a new rate card version',
    description:
      'Prices messages delivered from `effective_from` on; messages before keep the version they were charged with. Give `rates` or `csv`, and a `*` rate for marketing, utility, authentication and service.',
    tag,
    permission: 'billing.manage',
    body: rateCardCreateSchema,
    success: { status: 201, description: 'Published', schema: rateCardSchema },
    handler: async ({ body, actor, services }) => {
      if ((body.rates === undefined) === (body.csv === undefined)) {
        throw new AppError('validation_failed', 'give either rates or csv', [
          { field: 'rates', reason: 'give either rates or csv' },
        ]);
      }
      const rates =
        body.csv !== undefined
          ? parseRateCardCsv(body.csv)
          : (body.rates ?? []).map((r, i) => ({
              calling_code: r.calling_code,
              market: r.market,
              category: r.category,
              rate_micros: parseMoney(r.rate, `rates.${i}.rate`),
            }));
      const card = await inTransaction(services.db, (tx) =>
        publishRateCard(tx, {
          effectiveFrom: new Date(body.effective_from),
          currency: body.currency,
          source: body.source,
          by: actorLabel(actor),
          rates,
        }),
      );
      return presentRateCard(card);
    },
  }),
];

function presentTopUp(topUp: TopUp) {
  return { ...topUp, amount: formatMoney(topUp.amount_micros) };
}
