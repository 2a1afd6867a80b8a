import { Show } from 'solid-js';
import type { Outputs } from '../../lib/trpc.js';

type Balance = Outputs['billing']['balance'];

/** The amount available and what it is made of: paid top-ups − spent − reserved. */
export function BalanceCard(props: { balance: Balance }) {
  const b = () => props.balance;
  return (
    <section class="card stack" aria-labelledby="balance-title">
      <h2 id="balance-title">Amount available</h2>
      <p class="big-figure" data-testid="available">
        {b().available} {b().currency}
        <Show when={b().low}>
          {' '}
          <span class="badge bad">Low</span>
        </Show>
      </p>
      <dl data-testid="balance-breakdown">
        <dt>Paid top-ups</dt>
        <dd>{b().top_ups}</dd>
        <dt>− Spent on delivered templates</dt>
        <dd>{b().spent}</dd>
        <dt>− Reserved for templates not yet delivered</dt>
        <dd>{b().reserved}</dd>
        <dt>Low-balance alert below</dt>
        <dd>{b().low_balance_threshold === '0.00' ? 'off' : b().low_balance_threshold}</dd>
      </dl>
    </section>
  );
}
