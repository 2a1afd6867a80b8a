import { describe, expect, it } from 'vitest';
import { pricingDecision } from './pricing-decision.js';

const regular = { pricing_model: 'PMP', type: 'regular', category: 'utility' };
describe('pricingDecision', () => {
  it.each([
    [
      'a delivered regular utility template is charged',
      { status: 'delivered', pricing: regular },
      undefined,
      { kind: 'charge', category: 'utility', pricingModel: 'PMP' },
    ],
    ['sent only waits for delivery', { status: 'sent', pricing: regular }, undefined, { kind: 'wait' }],
    [
      'a utility template inside the window is free',
      { status: 'delivered', pricing: { ...regular, type: 'free_customer_service' } },
      undefined,
      { kind: 'free' },
    ],
    [
      'a free entry point message is free',
      { status: 'delivered', pricing: { ...regular, type: 'free_entry_point', category: 'marketing' } },
      undefined,
      { kind: 'free' },
    ],
    [
      'a read after a priced sent is charged with the earlier pricing',
      { status: 'read' },
      { ...regular, category: 'marketing' },
      { kind: 'charge', category: 'marketing', pricingModel: 'PMP' },
    ],
    ['read with no pricing anywhere waits', { status: 'read' }, undefined, { kind: 'wait' }],
    ['a failed message releases its reservation', { status: 'failed' }, regular, { kind: 'failed' }],
    [
      'the deprecated billable flag alone decides older webhooks',
      { status: 'delivered', pricing: { billable: true, category: 'authentication' } },
      undefined,
      { kind: 'charge', category: 'authentication', pricingModel: null },
    ],
    [
      'billable false is free',
      { status: 'delivered', pricing: { billable: false, category: 'service' } },
      undefined,
      { kind: 'free' },
    ],
    [
      'international authentication keeps its category',
      { status: 'delivered', pricing: { ...regular, category: 'authentication_international' } },
      undefined,
      { kind: 'charge', category: 'authentication_international', pricingModel: 'PMP' },
    ],
  ] as const)('%s', (_name, status, earlier, decision) => {
    expect(pricingDecision(status, earlier)).toEqual(decision);
  });
});
