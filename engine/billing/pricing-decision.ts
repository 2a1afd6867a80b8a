import type { BillingCategory } from '../../core/db/schema.js';
import type { MessageStatusPayload } from '../../core/log/events/message.schema.js';

export type PricingDecision =
  | { kind: 'charge'; category: BillingCategory; pricingModel: string | null }
  | { kind: 'free' }
  | { kind: 'failed' }
  /** Nothing to settle yet (a `sent` status: Meta bills on delivery). */
  | { kind: 'wait' };

const categories: readonly string[] = [
  'marketing',
  'utility',
  'authentication',
  'authentication_international',
  'service',
];

/**
 * What a status means for the bill (per-message pricing, PMP, since July 2025): Meta charges a
 * message once it is delivered, when its `pricing.type` is `regular`; `free_customer_service`
 * (a service reply, or a utility template inside an open window) and `free_entry_point` are
 * free. `billable` is deprecated but older webhooks carry only it. A read status implies
 * delivery, and Meta does not repeat the pricing on it: `earlier` is the pricing an earlier
 * status of the same message carried.
 */
export function pricingDecision(
  status: Pick<MessageStatusPayload, 'status' | 'pricing'>,
  earlier?: MessageStatusPayload['pricing'],
): PricingDecision {
  if (status.status === 'failed') return { kind: 'failed' };
  if (status.status !== 'delivered' && status.status !== 'read') return { kind: 'wait' };
  const pricing = status.pricing ?? earlier;
  if (!pricing) return { kind: 'wait' };
  const billable = pricing.type !== undefined ? pricing.type === 'regular' : pricing.billable === true;
  if (!billable) return { kind: 'free' };
  // A category this code does not know yet is priced as marketing, the dearest, so the bill never under-counts.
  const category = (
    categories.includes(pricing.category ?? '') ? pricing.category : 'marketing'
  ) as BillingCategory;
  return { kind: 'charge', category, pricingModel: pricing.pricing_model ?? null };
}
