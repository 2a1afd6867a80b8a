import { createSignal, Show } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { ErrorNote } from '../../kit/states.js';
import { trpc } from '../../lib/trpc.js';

/** Adds or removes one label on every selected person (people.setLabels, one event per person changed). */
export function BulkLabels(props: { ids: readonly string[]; onDone: (updated: number) => void }) {
  const [label, setLabel] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const change = createAction(
    (action: 'add' | 'remove', value: string) =>
      trpc.people.setLabels.mutate({ ids: [...props.ids], [action]: [value] }),
    {
      success: (_, action, value) => `Label ${value} ${action === 'add' ? 'added' : 'removed'}`,
      after: ({ updated }) => {
        setLabel('');
        props.onDone(updated);
      },
    },
  );
  const apply = async (action: 'add' | 'remove') => {
    const value = label().trim();
    if (!value) return;
    setBusy(true);
    await change.run(action, value);
    setBusy(false);
  };
  const error = change.error;
  return (
    <Show when={props.ids.length > 0}>
      <form
        class="card row bulk"
        aria-label="Label the selected people"
        onSubmit={(e) => {
          e.preventDefault();
          void apply('add');
        }}
      >
        <p class="grow" role="status">
          {props.ids.length} selected
        </p>
        <label>
          Label
          <input
            value={label()}
            onInput={(e) => setLabel(e.currentTarget.value)}
            list="known-labels"
            maxLength={100}
            required
          />
        </label>
        <button type="submit" disabled={busy()}>
          Add label
        </button>
        <button type="button" class="secondary" disabled={busy()} onClick={() => apply('remove')}>
          Remove label
        </button>
        <ErrorNote error={error()} />
      </form>
    </Show>
  );
}
