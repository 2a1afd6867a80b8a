import { createResource, For, Show } from 'solid-js';
import { createAction } from '../kit/create-action.js';
import { DataTable } from '../kit/data-table.js';
import { formatTime } from '../lib/format.js';
import { type Outputs, trpc } from '../lib/trpc.js';

type Delivery = Outputs['webhooks']['deliveries'][number];

/** The delivery log of one subscription, newest first, each attempt's status and latency, and replay. */
export function WebhookDeliveries(props: { subscriptionId: string }) {
  const [deliveries, { refetch }] = createResource(
    () => props.subscriptionId,
    (id) => trpc.webhooks.deliveries.query({ id, limit: 50 }),
  );
  const replay = createAction(
    (d: Delivery) => trpc.webhooks.replay.mutate({ id: props.subscriptionId, deliveryId: d.id }),
    { success: (_, d) => `Event #${d.event_id} sent again`, after: () => refetch(), errors: 'toast' },
  );
  return (
    <div class="deliveries">
      <div class="row">
        <h3>Delivery log</h3>
        <button type="button" class="secondary" onClick={() => refetch()}>
          Refresh
        </button>
      </div>
      <DataTable<Delivery>
        caption="Deliveries"
        captionHidden
        what="deliveries"
        rows={deliveries.latest}
        error={deliveries.error}
        retry={refetch}
        empty={{ message: 'No deliveries yet: they appear when a subscribed event happens.' }}
        columns={[
          {
            id: 'event',
            label: 'Event',
            cell: (d) => (
              <>
                {d.event_type} <span class="hint">#{d.event_id}</span>
              </>
            ),
          },
          {
            id: 'state',
            label: 'State',
            cell: (d) => (
              <span class={`badge ${d.state === 'succeeded' ? 'ok' : d.state === 'failed' ? 'bad' : 'warn'}`}>
                {d.state}
              </span>
            ),
          },
          {
            id: 'attempts',
            label: 'Attempts',
            cell: (d) => (
              <details>
                <summary>{d.attempts}</summary>
                <ol class="attempts">
                  <For each={d.attempt_log}>
                    {(a) => (
                      <li>
                        {formatTime(a.started_at)}: {a.status_code ?? 'no answer'}, {a.latency_ms} ms
                        {a.error ? `, ${a.error}` : ''}
                        {a.replay ? ' (replay)' : ''}
                      </li>
                    )}
                  </For>
                </ol>
              </details>
            ),
          },
          {
            id: 'result',
            label: 'Last result',
            cell: (d) => (
              <>
                {d.last_status_code ?? '—'}
                {d.last_error ? ` ${d.last_error}` : ''}
                <Show when={d.next_attempt_at}>
                  <br />
                  <span class="hint">next try {formatTime(d.next_attempt_at)}</span>
                </Show>
              </>
            ),
          },
          { id: 'created', label: 'Created', cell: (d) => formatTime(d.created_at) },
          {
            id: 'actions',
            label: 'Actions',
            cell: (d) => (
              <button type="button" class="secondary" onClick={() => void replay.run(d)}>
                Replay
              </button>
            ),
          },
        ]}
      />
    </div>
  );
}
