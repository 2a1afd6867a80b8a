import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * Money of message billing (engine/billing). Amounts are integers in millionths of the
 * currency unit (`amount_micros`: 0.0379 USD is 37900), so that sums are exact in SQL.
 */
const micros = z.number().int().nonnegative();
const currency = z.string().regex(/^[A-Z]{3}$/);
const market = { calling_code: z.string().min(1), market: z.string().min(1) };

/** Funds held for a queued template message until Meta reports its price or its failure. */
export const chargeReservedPayloadSchema = z.object({
  message_id: idString,
  amount_micros: micros,
  currency,
  ...market,
});

/** A reservation given back: the message was free (inside a window) or failed. */
export const chargeReleasedPayloadSchema = z.object({
  message_id: idString,
  amount_micros: micros,
  currency,
  reason: z.enum(['free', 'failed']),
});

/** A billable message, priced with the rate card in force when it was delivered. */
export const chargeCreatedPayloadSchema = z.object({
  charge_id: idString,
  message_id: idString,
  amount_micros: micros,
  currency,
  /** Meta's pricing category: marketing, utility, authentication, authentication_international, service. */
  category: z.string().min(1),
  pricing_model: z.string().nullable(),
  rate_card_id: idString,
  ...market,
  /** What was reserved for the message when it was queued, now settled by this charge. */
  reserved_micros: micros,
});

export const billingTopUpPayloadSchema = z.object({
  top_up_id: idString,
  amount_micros: z.number().int().positive(),
  currency,
  reference: z.string().min(1),
  note: z.string().nullable(),
  by: z.string().min(1),
});

export const billingLowBalancePayloadSchema = z.object({
  available_micros: z.number().int(),
  threshold_micros: micros,
  currency,
  billing_contact: z.string().nullable(),
});

export const billingRateCardPublishedPayloadSchema = z.object({
  rate_card_id: idString,
  effective_from: z.iso.datetime({ offset: true }),
  currency,
  rates: z.number().int().positive(),
  source: z.string().min(1),
  by: z.string().min(1),
});

export const billingEvents = [
  defineEvent('charge.reserved', chargeReservedPayloadSchema),
  defineEvent('charge.released', chargeReleasedPayloadSchema),
  defineEvent('charge.created', chargeCreatedPayloadSchema),
  defineEvent('billing.top_up', billingTopUpPayloadSchema),
  defineEvent('billing.low_balance', billingLowBalancePayloadSchema),
  defineEvent('billing.rate_card_published', billingRateCardPublishedPayloadSchema),
] as const;
