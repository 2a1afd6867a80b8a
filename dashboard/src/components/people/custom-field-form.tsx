import { batch, createSignal, For, Show } from 'solid-js';
import { ErrorNote } from '../../kit/states.js';
import {
  type CustomField,
  type FieldType,
  fieldTypeLabels,
  formatOptions,
  parseOptions,
  suggestKey,
} from '../../lib/people.js';
import { fieldErrors, trpc } from '../../lib/trpc.js';

const types = Object.keys(fieldTypeLabels) as FieldType[];

/**
 * Creates a custom field (key suggested from the name until edited) or edits one; a field's
 * key and type never change, so editing offers only the name, description and options.
 */
export function CustomFieldForm(props: {
  field?: CustomField;
  onSaved: (field: CustomField) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = createSignal(props.field?.name ?? '');
  const [key, setKey] = createSignal(props.field?.key ?? '');
  const [keyEdited, setKeyEdited] = createSignal(false);
  const [type, setType] = createSignal<FieldType>(props.field?.type ?? 'text');
  const [options, setOptions] = createSignal(formatOptions(props.field?.options ?? []));
  const [description, setDescription] = createSignal(props.field?.description ?? '');
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const shownKey = () => (props.field || keyEdited() ? key() : suggestKey(name()));
  const reason = (field: string) =>
    fieldErrors(error()).find((f) => f.field === field || f.field.startsWith(`${field}.`))?.reason;
  const idPrefix = props.field ? `edit-${props.field.id}` : 'new-field';
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const choice = type() === 'choice' ? { options: parseOptions(options()) } : {};
      const saved = props.field
        ? await trpc.customFields.update.mutate({
            id: props.field.id,
            name: name().trim(),
            description: description().trim() || null,
            ...choice,
          })
        : await trpc.customFields.create.mutate({
            key: shownKey(),
            name: name().trim(),
            type: type(),
            ...choice,
            ...(description().trim() ? { description: description().trim() } : {}),
          });
      props.onSaved(saved);
      if (!props.field) {
        setName('');
        setKey('');
        setKeyEdited(false);
        setType('text');
        setOptions('');
        setDescription('');
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const hint = (field: string) => (
    <Show when={reason(field)}>
      <span class="field-error" id={`${idPrefix}-${field}-error`}>
        {reason(field)}
      </span>
    </Show>
  );
  return (
    <form
      class="card stack"
      aria-label={props.field ? `Edit ${props.field.name}` : 'Create a custom field'}
      onSubmit={submit}
    >
      <div class="row">
        <label>
          Name
          <input value={name()} onInput={(e) => setName(e.currentTarget.value)} required maxLength={200} />
          {hint('name')}
        </label>
        <label>
          <span>
            Key <span class="hint">(for SQL, journeys and templates; never changes)</span>
          </span>
          <input
            class="mono"
            value={shownKey()}
            disabled={!!props.field}
            required
            pattern="[a-z][a-z0-9_]*"
            onInput={(e) => {
              // Read the typed value before keyEdited flips `value` from the suggestion to key().
              const typed = e.currentTarget.value;
              batch(() => {
                setKey(typed);
                setKeyEdited(true);
              });
            }}
          />
          {hint('key')}
        </label>
        <label>
          Type
          <select
            value={type()}
            disabled={!!props.field}
            onChange={(e) => setType(e.currentTarget.value as FieldType)}
          >
            <For each={types}>{(t) => <option value={t}>{fieldTypeLabels[t]}</option>}</For>
          </select>
        </label>
      </div>
      <Show when={type() === 'choice'}>
        <label>
          <span>
            Options{' '}
            <span class="hint">
              (one a line: <code>key = Label</code>, or just the label)
            </span>
          </span>
          <textarea rows={4} value={options()} onInput={(e) => setOptions(e.currentTarget.value)} />
          {hint('options')}
        </label>
      </Show>
      <label>
        <span>
          Description <span class="hint">(optional)</span>
        </span>
        <input value={description()} onInput={(e) => setDescription(e.currentTarget.value)} maxLength={500} />
      </label>
      <div class="row">
        <button type="submit" disabled={busy()}>
          {props.field ? 'Save field' : 'Create field'}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="secondary" onClick={() => props.onCancel?.()}>
            Cancel
          </button>
        </Show>
      </div>
      <Show when={fieldErrors(error()).length === 0}>
        <ErrorNote error={error()} />
      </Show>
    </form>
  );
}
