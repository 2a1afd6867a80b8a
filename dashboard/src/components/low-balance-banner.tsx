import { A, useLocation } from '@solidjs/router';
import { createEffect, on, Show } from 'solid-js';
import { billingBalance } from '../lib/billing-balance.js';

/**
 * Says on every page that the amount available is under the alert threshold (Billing →
 * Settings), for members who can see billing; asked again on each page change, so it goes as
 * soon as someone tops up.
 */
export function LowBalanceBanner() {
  const location = useLocation();
  createEffect(
    on(
      () => location.pathname,
      () => void billingBalance.refetch(),
      { defer: true },
    ),
  );
  // A failed read shows nothing here: the billing page says why; the banner must not break pages.
  const low = () => {
    const { balance } = billingBalance;
    return !balance.error && balance.latest?.low ? balance.latest : undefined;
  };
  return (
    <Show when={low()}>
      {(b) => (
        <div class="notice low-balance" role="alert">
          <strong>Low balance:</strong> {b().available} {b().currency} available, below the alert threshold of{' '}
          {b().low_balance_threshold} {b().currency}. <A href="/settings/billing">Go to Billing</A>
        </div>
      )}
    </Show>
  );
}
