import { z } from 'zod';
import { billingCategories } from '../../../engine/billing/index.js';

/**
 * Billing for integrators. Money is given twice: `*_micros`, an integer in millionths of the
 * currency unit (exact, for sums), and the same amount as a decimal string ('12.50').
 */
const money = (what: string, example: string) =>
  z.string().meta({ description: `${what}, as a decimal string`, examples: [example] });
const micros = (what: string) =>
  z
    .number()
    .int()
    .meta({ description: `${what} in millionths of the currency unit` });

export const balanceSchema = z
  .object({
    currency: z.string().meta({ examples: ['USD'] }),
    top_ups: money('Paid top-ups', '100.00'),
    spent: money('Spend on delivered billable messages', '12.3456'),
    reserved: money('Held for template messages still pending', '0.379'),
    available: money('top_ups − spent − reserved', '87.2754'),
    available_micros: micros('available'),
    low_balance_threshold: money('The alert threshold (0 turns the alert off)', '20.00'),
    low: z.boolean().meta({ description: 'Available is under the threshold' }),
    refuse_when_empty: z.boolean().meta({ description: 'Sending is refused once nothing is available' }),
  })
  .meta({ id: 'BillingBalance' });

const spendRow = {
  amount: money('Spend', '1.25'),
  amount_micros: micros('amount'),
  messages: z.number().int(),
};
export const spendSchema = z
  .object({
    from: z.iso.datetime(),
    until: z.iso.datetime(),
    currency: z.string(),
    total: money('Total spend in the period', '3.79'),
    total_micros: micros('total'),
    messages: z.number().int(),
    by_day: z.array(z.object({ day: z.string().meta({ examples: ['2026-12-01'] }), ...spendRow })),
    by_channel: z.array(z.object({ channel: z.string(), ...spendRow })),
    by_market: z.array(
      z.object({ calling_code: z.string(), market: z.string(), category: z.string(), ...spendRow }),
    ),
  })
  .meta({ id: 'BillingSpend' });

export const spendQuerySchema = z.strictObject({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Start (inclusive); default: the start of the current month (UTC)' }),
  until: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'End (exclusive); default: the start of the next month' }),
});

export const topUpSchema = z
  .object({
    id: z.string(),
    amount: money('Amount', '100.00'),
    amount_micros: micros('amount'),
    currency: z.string(),
    reference: z.string(),
    note: z.string().nullable(),
    recorded_by: z.string(),
    recorded_at: z.iso.datetime(),
  })
  .meta({ id: 'TopUp' });
export const topUpListSchema = z.object({ data: z.array(topUpSchema) }).meta({ id: 'TopUpList' });
export const topUpCreateSchema = z
  .strictObject({
    amount: z.string().meta({ description: 'Amount paid, a decimal string', examples: ['100.00'] }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ examples: ['USD'] }),
    reference: z
      .string()
      .min(1)
      .max(200)
      .meta({
        description: 'The payment reference; recording it again is a no-op',
        examples: ['INV-2026-0042'],
      }),
    note: z.string().max(500).optional(),
  })
  .meta({ id: 'TopUpCreate' });

const rateSchema = z.object({
  calling_code: z
    .string()
    .meta({ description: "Country calling code, or '*' for every other market", examples: ['27'] }),
  market: z.string().meta({ examples: ['South Africa'] }),
  category: z.enum(billingCategories),
  rate: money('Price of one message', '0.0379'),
});
export const rateCardSchema = z
  .object({
    id: z.string(),
    effective_from: z.iso.datetime(),
    currency: z.string(),
    source: z.string(),
    created_by: z.string(),
    rates: z.array(rateSchema),
  })
  .meta({ id: 'RateCard' });
export const rateCardCreateSchema = z
  .strictObject({
    effective_from: z.iso.datetime({ offset: true }).meta({ description: 'When the new prices take effect' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ examples: ['USD'] }),
    source: z
      .string()
      .min(1)
      .max(200)
      .meta({ examples: ["Meta's rate card of 1 January 2027"] }),
    rates: z.array(rateSchema.strict()).optional().meta({ description: 'The rates; or give `csv` instead' }),
    csv: z.string().optional().meta({
      description:
        'The rates as CSV: calling_code,market,marketing,utility,authentication,authentication_international,service',
    }),
  })
  .meta({
    id: 'RateCardCreate',
    examples: [
      {
        effective_from: '2025-07-01T00:00:00Z',
        currency: 'USD',
        source: "Meta's rate card of 1 July 2025",
        rates: [
          { calling_code: '27', market: 'South Africa', category: 'marketing', rate: '0.0379' },
          { calling_code: '*', market: 'Other', category: 'marketing', rate: '0.0604' },
          { calling_code: '*', market: 'Other', category: 'utility', rate: '0.0077' },
          { calling_code: '*', market: 'Other', category: 'authentication', rate: '0.0077' },
          { calling_code: '*', market: 'Other', category: 'service', rate: '0' },
        ],
      },
    ],
  });
