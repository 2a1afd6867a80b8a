import { createResource, createSignal, For, Show } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { ErrorNote } from '../../kit/states.js';
import { trpc } from '../../lib/trpc.js';

/** A person's labels: remove one with its button, add one by name (suggested from the labels in use). */
export function PersonLabels(props: {
  personId: string;
  labels: readonly string[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const [label, setLabel] = createSignal('');
  const [known] = createResource(() => trpc.people.labels.query());
  const action = createAction(
    (change: { add?: string[]; remove?: string[] }) =>
      trpc.people.setLabels.mutate({ ids: [props.personId], ...change }),
    {
      success: (_, change) =>
        change.add ? `Label ${change.add[0]} added` : `Label ${change.remove?.[0]} removed`,
      after: () => {
        setLabel('');
        props.onChanged();
      },
    },
  );
  const change = (c: { add?: string[]; remove?: string[] }) => action.run(c);
  const error = action.error;
  return (
    <section class="card stack" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <Show when={props.labels.length > 0} fallback={<p class="state empty">No labels.</p>}>
        <ul class="tags" aria-label="Labels">
          <For each={props.labels}>
            {(l) => (
              <li class="tag">
                {l}
                <Show when={props.canWrite}>
                  <button
                    type="button"
                    class="tag-remove"
                    aria-label={`Remove label ${l}`}
                    onClick={() => change({ remove: [l] })}
                  >
                    ×
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.canWrite}>
        <form
          class="row"
          aria-label="Add a label"
          onSubmit={(e) => {
            e.preventDefault();
            if (label().trim()) void change({ add: [label().trim()] });
          }}
        >
          <label>
            New label
            <input
              value={label()}
              onInput={(e) => setLabel(e.currentTarget.value)}
              list="person-label-options"
              maxLength={100}
              required
            />
          </label>
          <datalist id="person-label-options">
            <For each={known.latest ?? []}>{(o) => <option value={o.label} />}</For>
          </datalist>
          <button type="submit">Add label</button>
        </form>
      </Show>
      <ErrorNote error={error()} />
    </section>
  );
}
