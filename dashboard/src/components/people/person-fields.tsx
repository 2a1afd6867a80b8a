import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createAction } from '../../kit/create-action.js';
import { Empty, ErrorNote } from '../../kit/states.js';
import { fromInput, type InputValue, toInput } from '../../lib/field-values.js';
import type { CustomField, Person } from '../../lib/people.js';
import { fieldErrors, trpc } from '../../lib/trpc.js';
import { FieldInput } from './field-input.js';

/**
 * A person's custom fields as a form of typed inputs; only changed fields are sent, and a
 * refused value keeps what was typed with the server's reason next to its field.
 */
export function PersonFields(props: {
  person: Person;
  fields: readonly CustomField[];
  canWrite: boolean;
  onSaved: (person: Person) => void;
}) {
  const initial = () =>
    Object.fromEntries(props.fields.map((f) => [f.key, toInput(f.type, props.person.fields[f.key])]));
  const [values, setValues] = createStore<Record<string, InputValue>>(initial());
  const [saved, setSaved] = createSignal(false);
  const action = createAction(
    (changes: Record<string, unknown>) => trpc.people.update.mutate({ id: props.person.id, fields: changes }),
    {
      success: 'Fields saved',
      after: (person) => {
        props.onSaved(person);
        setValues(
          Object.fromEntries(props.fields.map((f) => [f.key, toInput(f.type, person.fields[f.key])])),
        );
        setSaved(true);
      },
    },
  );
  const error = action.error;
  const saving = action.pending;
  const errorFor = (key: string) =>
    fieldErrors(error()).find((f) => f.field === key || f.field === `fields.${key}`)?.reason;
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const before = initial();
    const changes = Object.fromEntries(
      props.fields
        .filter((f) => values[f.key] !== before[f.key])
        .map((f) => [f.key, fromInput(f.type, values[f.key] ?? '')]),
    );
    setSaved(false);
    if (Object.keys(changes).length === 0) return;
    await action.run(changes);
  };
  return (
    <form class="card stack" aria-labelledby="fields-title" onSubmit={save} novalidate>
      <h2 id="fields-title">Custom fields</h2>
      <Show
        when={props.fields.length > 0}
        fallback={<Empty>No custom fields yet (Settings → Custom fields).</Empty>}
      >
        <div class="field-grid">
          <For each={props.fields}>
            {(field) => (
              <FieldInput
                field={field}
                value={values[field.key] ?? ''}
                error={errorFor(field.key)}
                disabled={!props.canWrite || saving()}
                onInput={(value) => {
                  setValues(field.key, value);
                  setSaved(false);
                }}
              />
            )}
          </For>
        </div>
        <Show when={error() && fieldErrors(error()).length === 0}>
          <ErrorNote error={error()} />
        </Show>
        <Show when={error() && fieldErrors(error()).length > 0}>
          <p class="field-error" role="alert">
            Not saved: {fieldErrors(error()).length === 1 ? 'one field needs' : 'some fields need'} a change.
          </p>
        </Show>
        <Show when={props.canWrite}>
          <div class="row">
            <button type="submit" disabled={saving()}>
              Save fields
            </button>
            <Show when={saved()}>
              <span role="status">Saved.</span>
            </Show>
          </div>
        </Show>
      </Show>
    </form>
  );
}
