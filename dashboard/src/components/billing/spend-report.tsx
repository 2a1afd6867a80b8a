import { createSignal, Show } from 'solid-js';
import { Chart } from '../../kit/chart.js';
import { DataTable } from '../../kit/data-table.js';
import type { Outputs } from '../../lib/trpc.js';

type Spend = Outputs['billing']['spend'];
type Report = Spend['current'];

/** The UTC days of [from, until) as YYYY-MM-DD: a month's axis has every day, spent or not. */
function daysOf(report: Report): string[] {
  const days: string[] = [];
  for (let t = Date.parse(report.from); t < Date.parse(report.until); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

const units = (micros: number) => micros / 1_000_000;

/**
 * Spend on delivered messages in this or last month (UTC): per day as a chart, and per number
 * and per country and category as tables (with a chart of the categories).
 */
export function SpendReport(props: { spend: Spend }) {
  const [month, setMonth] = createSignal<'current' | 'previous'>('current');
  const report = () => props.spend[month()];
  const monthName = (r: Report) =>
    new Date(r.from).toLocaleString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const byCategory = () => {
    const sums = new Map<string, number>();
    for (const row of report().by_market)
      sums.set(row.category, (sums.get(row.category) ?? 0) + row.amount_micros);
    return [...sums];
  };
  return (
    <section class="card stack" aria-labelledby="spend-title">
      <div class="row">
        <h2 id="spend-title" class="grow">
          Spend
        </h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">Month</legend>
          <button
            type="button"
            class="segment"
            aria-pressed={month() === 'current'}
            onClick={() => setMonth('current')}
          >
            {monthName(props.spend.current)}
          </button>
          <button
            type="button"
            class="segment"
            aria-pressed={month() === 'previous'}
            onClick={() => setMonth('previous')}
          >
            {monthName(props.spend.previous)}
          </button>
        </fieldset>
      </div>
      <p data-testid="spend-total">
        <strong>
          {report().total} {report().currency}
        </strong>{' '}
        on {report().messages.toLocaleString()} delivered message{report().messages === 1 ? '' : 's'}
      </p>
      <Chart
        label={`Spend per day in ${monthName(report())}`}
        option={{
          grid: { left: 56, right: 16, top: 16, bottom: 32 },
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'category', data: daysOf(report()).map((d) => d.slice(8)) },
          yAxis: { type: 'value', name: report().currency },
          series: [
            {
              type: 'bar',
              name: 'Spend',
              data: daysOf(report()).map((day) =>
                units(report().by_day.find((d) => d.day === day)?.amount_micros ?? 0),
              ),
            },
          ],
        }}
      />
      <div class="billing-tables">
        <DataTable
          caption="Per number"
          what="spend per number"
          rows={report().by_channel}
          empty={{ message: 'Nothing spent this month.' }}
          columns={[
            { id: 'channel', label: 'Number (channel)', cell: (r) => r.channel },
            { id: 'messages', label: 'Messages', class: 'num', cell: (r) => r.messages.toLocaleString() },
            { id: 'amount', label: `Spend (${report().currency})`, class: 'num', cell: (r) => r.amount },
          ]}
        />
        <DataTable
          caption="Per country and category"
          what="spend per country"
          rows={report().by_market}
          empty={{ message: 'Nothing spent this month.' }}
          columns={[
            {
              id: 'market',
              label: 'Country',
              cell: (r) => (r.calling_code === '*' ? r.market : `${r.market} (+${r.calling_code})`),
            },
            { id: 'category', label: 'Category', cell: (r) => r.category },
            { id: 'messages', label: 'Messages', class: 'num', cell: (r) => r.messages.toLocaleString() },
            { id: 'amount', label: `Spend (${report().currency})`, class: 'num', cell: (r) => r.amount },
          ]}
        />
      </div>
      <Show when={byCategory().length > 0}>
        <Chart
          label={`Spend per category in ${monthName(report())}`}
          height={160}
          option={{
            grid: { left: 120, right: 16, top: 8, bottom: 24 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'value', name: report().currency },
            yAxis: { type: 'category', data: byCategory().map(([category]) => category) },
            series: [
              {
                type: 'bar',
                name: 'Spend',
                barMaxWidth: 28,
                data: byCategory().map(([, micros]) => units(micros)),
              },
            ],
          }}
        />
      </Show>
    </section>
  );
}
