import { createResource, For, Show } from 'solid-js';
import { ErrorNote, Loading } from '../kit/states.js';
import { formatTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';

/** A saved segment's counts over time (each save and each recount adds one). */
export function SegmentHistory(props: { id: string }) {
  const [history, { refetch }] = createResource(
    () => props.id,
    (id) => trpc.segments.countHistory.query({ id }),
  );
  const recount = async () => {
    await trpc.segments.recount.mutate({ id: props.id });
    await refetch();
  };
  return (
    <div class="card stack">
      <div class="row">
        <h2>Count history</h2>
        <button type="button" class="secondary" onClick={recount}>
          Count now
        </button>
      </div>
      <Show when={!history.error} fallback={<ErrorNote error={history.error} retry={refetch} />}>
        <Show when={history.latest} fallback={<Loading what="history" />}>
          {(rows) => (
            <table>
              <caption>Counts</caption>
              <thead>
                <tr>
                  <th scope="col">Counted</th>
                  <th scope="col">People</th>
                  <th scope="col">Log position</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(r) => (
                    <tr>
                      <td>{formatTime(r.countedAt)}</td>
                      <td class="num">{r.count.toLocaleString()}</td>
                      <td class="num">{r.logPosition}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          )}
        </Show>
      </Show>
    </div>
  );
}
