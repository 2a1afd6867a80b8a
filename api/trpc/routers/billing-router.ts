import { inTransaction } from '../../../core/db/in-transaction.js';
import {
  billingBalance,
  formatMoney,
  getBillingSettings,
  listRateCards,
  listTopUps,
  monthRange,
  parseMoney,
  parseRateCardCsv,
  publishRateCard,
  rateCardAt,
  recordTopUp,
  spendReport,
  updateBillingSettings,
} from '../../../engine/billing/index.js';
import { audit } from '../../auth/audit.js';
import { actorLabel } from '../../services/contacts.js';
import {
  presentBalance,
  presentRateCard,
  presentSpend,
  topUpAmount,
} from '../../services/present-billing.js';
import { billingSettingsInputSchema, rateCardCsvInputSchema, topUpInputSchema } from '../billing.schema.js';
import { permissionProcedure, router } from '../trpc.js';

/** Billing: the amount available, spend for this and last month, top-ups, the rate card, settings. */
export const billingRouter = router({
  balance: permissionProcedure('billing.read').query(async ({ ctx }) =>
    presentBalance(await billingBalance(ctx.db)),
  ),

  spend: permissionProcedure('billing.read').query(async ({ ctx }) => {
    const now = new Date();
    const [current, previous] = await Promise.all([
      spendReport(ctx.db, monthRange(now)),
      spendReport(ctx.db, monthRange(now, -1)),
    ]);
    return { current: presentSpend(current), previous: presentSpend(previous) };
  }),

  topUps: permissionProcedure('billing.read').query(async ({ ctx }) =>
    (await listTopUps(ctx.db)).map((t) => ({ ...t, amount: formatMoney(t.amount_micros) })),
  ),

  recordTopUp: permissionProcedure('billing.manage')
    .input(topUpInputSchema)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, async (tx) => {
        const { topUp } = await recordTopUp(tx, {
          amountMicros: topUpAmount(input.amount),
          currency: input.currency,
          reference: input.reference,
          note: input.note,
          by: actorLabel(ctx.actor),
        });
        return { ...topUp, amount: formatMoney(topUp.amount_micros) };
      }),
    ),

  rateCard: permissionProcedure('billing.read').query(async ({ ctx }) => {
    const current = await rateCardAt(ctx.db, new Date());
    return {
      current: current && { ...presentRateCard(current), rates: current.rates.map(withRate) },
      versions: await listRateCards(ctx.db),
    };
  }),

  publishRateCard: permissionProcedure('billing.manage')
    .input(rateCardCsvInputSchema)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, (tx) =>
        publishRateCard(tx, {
          effectiveFrom: new Date(input.effective_from),
          currency: input.currency,
          source: input.source,
          by: actorLabel(ctx.actor),
          rates: parseRateCardCsv(input.csv),
        }),
      ),
    ),

  settings: permissionProcedure('billing.read').query(async ({ ctx }) => {
    const settings = await getBillingSettings(ctx.db);
    return { ...settings, low_balance_threshold: formatMoney(settings.low_balance_micros) };
  }),

  updateSettings: permissionProcedure('billing.manage')
    .input(billingSettingsInputSchema)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, async (tx) => {
        const settings = await updateBillingSettings(tx, {
          ...(input.low_balance_threshold !== undefined && {
            low_balance_micros: parseMoney(input.low_balance_threshold, 'low_balance_threshold'),
          }),
          refuse_when_empty: input.refuse_when_empty,
          billing_contact: input.billing_contact,
        });
        await audit(tx, ctx.actor, {
          action: 'billing.settings_update',
          target: { kind: 'billing', id: 'settings' },
          details: { ...input },
        });
        return { ...settings, low_balance_threshold: formatMoney(settings.low_balance_micros) };
      }),
    ),
});

/** A rate with its decimal string beside its micros (the page shows one, tests read the other). */
function withRate<T extends { rate_micros: number }>(rate: T) {
  return { ...rate, rate: formatMoney(rate.rate_micros) };
}
