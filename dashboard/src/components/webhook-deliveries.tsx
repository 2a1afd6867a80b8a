import { createResource, createSignal, For, Show } from 'solid-js';
import { formatTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';
import { ErrorNote, ListState } from './states.js';

/** The delivery log of one subscription, newest first, each attempt's status and latency, and replay. */
export function WebhookDeliveries(props: { subscriptionId: string }) {
  const [deliveries, { refetch }] = createResource(
    () => props.subscriptionId,
    (id) => trpc.webhooks.deliveries.query({ id, limit: 50 }),
  );
  const [error, setError] = createSignal<unknown>();
  const replay = async (deliveryId: string) => {
    setError(undefined);
    try {
      await trpc.webhooks.replay.mutate({ id: props.subscriptionId, deliveryId });
      await refetch();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <div class="deliveries">
      <div class="row">
        <h3>Delivery log</h3>
        <button type="button" class="secondary" onClick={() => refetch()}>
          Refresh
        </button>
      </div>
      <ErrorNote error={error()} />
      <ListState resource={deliveries} what="deliveries" empty="No deliveries yet." retry={refetch}>
        {(list) => (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last result</th>
                  <th scope="col">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(d) => (
                    <tr>
                      <td>
                        {d.event_type} <span class="hint">#{d.event_id}</span>
                      </td>
                      <td>
                        <span
                          class={`badge ${d.state === 'succeeded' ? 'ok' : d.state === 'failed' ? 'bad' : 'warn'}`}
                        >
                          {d.state}
                        </span>
                      </td>
                      <td>
                        <details>
                          <summary>{d.attempts}</summary>
                          <ol class="attempts">
                            <For each={d.attempt_log}>
                              {(a) => (
                                <li>
                                  {formatTime(a.started_at)}: {a.status_code ?? 'no answer'}, {a.latency_ms}{' '}
                                  ms
                                  {a.error ? `, ${a.error}` : ''}
                                  {a.replay ? ' (replay)' : ''}
                                </li>
                              )}
                            </For>
                          </ol>
                        </details>
                      </td>
                      <td>
                        {d.last_status_code ?? '—'}
                        {d.last_error ? ` ${d.last_error}` : ''}
                        <Show when={d.next_attempt_at}>
                          <br />
                          <span class="hint">next try {formatTime(d.next_attempt_at)}</span>
                        </Show>
                      </td>
                      <td>{formatTime(d.created_at)}</td>
                      <td>
                        <button type="button" class="secondary" onClick={() => replay(d.id)}>
                          Replay
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ListState>
    </div>
  );
}
