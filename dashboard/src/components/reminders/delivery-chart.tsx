import { Show } from 'solid-js';
import { Chart } from '../../kit/chart.js';
import type { Outputs } from '../../lib/trpc.js';

type Timeline = Outputs['reminders']['get']['timeline'];

const series = [
  { key: 'queued', name: 'Queued' },
  { key: 'delivered', name: 'Delivered' },
  { key: 'read', name: 'Read' },
  { key: 'failed', name: 'Failed' },
] as const;

/** Delivery over time: running totals of messages queued (handed to the sender), delivered, read and failed. */
export function DeliveryChart(props: { timeline: Timeline }) {
  const start = () =>
    new Date(Date.parse(props.timeline.points[0]!.at) - props.timeline.bucket_seconds * 1000).toISOString();
  return (
    <section class="card stack" aria-labelledby="delivery-title">
      <h2 id="delivery-title">Delivery over time</h2>
      <Show when={props.timeline.points.length > 0} fallback={<p class="state">Nothing sent yet.</p>}>
        <Chart
          label="Messages queued, delivered, read and failed over time"
          option={{
            tooltip: { trigger: 'axis' },
            legend: { top: 0, data: series.map((s) => s.name) },
            grid: { left: 48, right: 16, top: 40, bottom: 32 },
            xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
            yAxis: { type: 'value', minInterval: 1 },
            series: series.map((s) => ({
              name: s.name,
              type: 'line',
              showSymbol: false,
              // From zero at the start of the first bucket, so even one bucket draws a line.
              data: [[start(), 0], ...props.timeline.points.map((p) => [p.at, p[s.key]])],
            })),
          }}
        />
      </Show>
    </section>
  );
}
