import { createResource, Show } from 'solid-js';
import { Chart } from '../../kit/chart.js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { formatTime } from '../../lib/format.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Count = Outputs['segments']['countHistory'][number];

/** A saved segment's counts over time (each save and each recount adds one), as a chart and a table. */
export function SegmentHistory(props: { id: string }) {
  const [history, { refetch }] = createResource(
    () => props.id,
    (id) => trpc.segments.countHistory.query({ id }),
  );
  const recount = createAction(() => trpc.segments.recount.mutate({ id: props.id }), {
    success: 'Counted again',
    after: () => refetch(),
    errors: 'toast',
  });
  const oldestFirst = () => [...(history.latest ?? [])].reverse();
  return (
    <div class="card stack">
      <div class="row">
        <h2 class="grow">Count history</h2>
        <button
          type="button"
          class="secondary"
          disabled={recount.pending()}
          onClick={() => void recount.run()}
        >
          Count now
        </button>
      </div>
      <Show when={oldestFirst().length > 1}>
        <Chart
          label="People in the segment over time"
          option={{
            grid: { left: 48, right: 16, top: 16, bottom: 32 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'time' },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                type: 'line',
                name: 'People',
                data: oldestFirst().map((r) => [r.countedAt, r.count]),
              },
            ],
          }}
        />
      </Show>
      <DataTable<Count>
        caption="Counts"
        what="history"
        rows={history.latest}
        error={history.error}
        retry={refetch}
        empty={{ message: 'Not counted yet.' }}
        columns={[
          { id: 'counted', label: 'Counted', cell: (r) => formatTime(r.countedAt) },
          { id: 'count', label: 'People', class: 'num', cell: (r) => r.count.toLocaleString() },
          { id: 'position', label: 'Log position', class: 'num', cell: (r) => r.logPosition },
        ]}
      />
    </div>
  );
}
