import { z } from 'zod';

/** Inputs of the billing procedures, importable by the dashboard (zod only). */
export const topUpInputSchema = z.strictObject({
  amount: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  reference: z.string().min(1).max(200),
  note: z.string().max(500).optional(),
});

export const billingSettingsInputSchema = z.strictObject({
  low_balance_threshold: z.string().min(1).optional(),
  refuse_when_empty: z.boolean().optional(),
  billing_contact: z.string().max(200).nullable().optional(),
});

export const rateCardCsvInputSchema = z.strictObject({
  effective_from: z.iso.datetime({ offset: true }),
  currency: z.string().regex(/^[A-Z]{3}$/),
  source: z.string().min(1).max(200),
  csv: z.string().min(1).max(1_000_000),
});
