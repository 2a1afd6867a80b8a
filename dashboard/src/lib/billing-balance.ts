import { createResource } from 'solid-js';
import { session } from './session.js';
import { trpc } from './trpc.js';

/**
 * The amount available, shared by the low-balance banner (on every page) and the billing page,
 * so a top-up recorded on the page clears the banner at once. Read only by members with
 * billing.read; the server refuses it to the others.
 */
const [balance, { refetch }] = createResource(
  () => session.can('billing.read') || undefined,
  () => trpc.billing.balance.query(),
);

export const billingBalance = { balance, refetch };
