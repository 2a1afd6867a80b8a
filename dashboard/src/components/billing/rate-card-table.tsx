import { Show } from 'solid-js';
import { DataTable } from '../../kit/data-table.js';
import { formatTime } from '../../lib/format.js';
import { rateCardCategories } from '../../lib/rate-card-csv.js';
import type { Outputs } from '../../lib/trpc.js';

type RateCard = NonNullable<Outputs['billing']['rateCard']['current']>;

const categories = rateCardCategories;
const labels: Record<(typeof categories)[number], string> = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
  authentication_international: 'Auth. international',
  service: 'Service',
};

interface Market {
  calling_code: string;
  market: string;
  rates: Partial<Record<string, string>>;
}

/** One row per market (calling code), one column per pricing category, as Meta publishes it. */
function markets(card: RateCard): Market[] {
  const byCode = new Map<string, Market>();
  for (const r of card.rates) {
    const row = byCode.get(r.calling_code) ?? { calling_code: r.calling_code, market: r.market, rates: {} };
    row.rates[r.category] = r.rate;
    byCode.set(r.calling_code, row);
  }
  return [...byCode.values()];
}

/** The rate card in force: the price of a delivered message per market and category. */
export function RateCardTable(props: { card: RateCard | null }) {
  return (
    <section class="card stack" aria-labelledby="rate-card-title">
      <h2 id="rate-card-title">Rate card</h2>
      <Show when={props.card} fallback={<p class="state">No rate card is in force yet.</p>}>
        {(card) => (
          <>
            <p class="hint">
              In force since {formatTime(card().effective_from)}, in {card().currency} per delivered message;{' '}
              {card().source}. A market without its own rate pays the “*” line; an empty
              authentication-international cell costs what authentication does.
            </p>
            <DataTable<Market>
              caption="Rates per market and category"
              captionHidden
              what="rates"
              rows={markets(card())}
              empty={{ message: 'This rate card has no rates.' }}
              columns={[
                {
                  id: 'code',
                  label: 'Code',
                  cell: (m) => (m.calling_code === '*' ? '*' : `+${m.calling_code}`),
                },
                { id: 'market', label: 'Market', cell: (m) => m.market },
                ...categories.map((c) => ({
                  id: c,
                  label: labels[c],
                  class: 'num',
                  cell: (m: Market) => m.rates[c] ?? '—',
                })),
              ]}
            />
          </>
        )}
      </Show>
    </section>
  );
}
