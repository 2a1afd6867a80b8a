import { createResource, Show } from 'solid-js';
import { BalanceCard } from '../../components/billing/balance-card.js';
import { BillingSettingsForm } from '../../components/billing/billing-settings-form.js';
import { RateCardPublish } from '../../components/billing/rate-card-publish.js';
import { RateCardTable } from '../../components/billing/rate-card-table.js';
import { SpendReport } from '../../components/billing/spend-report.js';
import { TopUps } from '../../components/billing/top-ups.js';
import { Page } from '../../kit/page.js';
import { Loaded } from '../../kit/states.js';
import { billingBalance } from '../../lib/billing-balance.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/**
 * Billing: the amount available and its parts, spend in this and last month, top-ups, the rate
 * card in force (and, for billing.manage, publishing the next one) and the low-balance settings. Every figure comes from the server as a decimal
 * string computed from integer micros, so the page adds up exactly like the warehouse.
 */
export function BillingPage() {
  const { balance, refetch: refetchBalance } = billingBalance;
  const [spend, { refetch: refetchSpend }] = createResource(() => trpc.billing.spend.query());
  const [rateCard, { refetch: refetchRateCard }] = createResource(() => trpc.billing.rateCard.query());
  const [settings, { refetch: refetchSettings }] = createResource(() => trpc.billing.settings.query());
  const currency = () => (balance.error ? 'USD' : (balance.latest?.currency ?? 'USD'));
  return (
    <Page
      title="Billing"
      description="What Meta charges for delivered template messages, paid from your top-ups."
    >
      <div class="stack">
        <div class="billing-grid">
          <Loaded resource={balance} what="the balance" retry={refetchBalance}>
            {(b) => <BalanceCard balance={b()} />}
          </Loaded>
          <Loaded resource={settings} what="settings" retry={refetchSettings}>
            {(s) => (
              <BillingSettingsForm
                settings={s()}
                currency={currency()}
                onSaved={() => Promise.all([refetchSettings(), refetchBalance()])}
              />
            )}
          </Loaded>
        </div>
        <Loaded resource={spend} what="spend" retry={refetchSpend}>
          {(s) => <SpendReport spend={s()} />}
        </Loaded>
        <TopUps currency={currency()} onRecorded={refetchBalance} />
        <Loaded resource={rateCard} what="the rate card" retry={refetchRateCard}>
          {(card) => (
            <>
              <RateCardTable card={card().current} />
              <Show when={session.can('billing.manage')}>
                <RateCardPublish
                  cards={card()}
                  onPublished={() => Promise.all([refetchRateCard(), refetchBalance()])}
                />
              </Show>
            </>
          )}
        </Loaded>
      </div>
    </Page>
  );
}
