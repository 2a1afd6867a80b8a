import { batch, createSignal, Show } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { Field, fieldError, Select, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import {
  type CustomField,
  type FieldType,
  fieldTypeLabels,
  formatOptions,
  parseOptions,
  suggestKey,
} from '../../lib/people.js';
import { trpc } from '../../lib/trpc.js';

const typeOptions = (Object.keys(fieldTypeLabels) as FieldType[]).map((t) => ({
  value: t,
  label: fieldTypeLabels[t],
}));
const isFieldType = (value: string): value is FieldType => value in fieldTypeLabels;

/**
 * Creates a custom field (key suggested from the name until edited) or edits one; a field's
 * key and type never change, so editing offers only the name, description and options.
 */
export function CustomFieldForm(props: {
  field?: CustomField;
  /** The name a new field starts with (the import wizard passes the column's header). */
  initialName?: string;
  onSaved: (field: CustomField) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = createSignal(props.field?.name ?? props.initialName ?? '');
  const [key, setKey] = createSignal(props.field?.key ?? '');
  const [keyEdited, setKeyEdited] = createSignal(false);
  const [type, setType] = createSignal<FieldType>(props.field?.type ?? 'text');
  const [options, setOptions] = createSignal(formatOptions(props.field?.options ?? []));
  const [description, setDescription] = createSignal(props.field?.description ?? '');
  const shownKey = () => (props.field || keyEdited() ? key() : suggestKey(name()));
  const save = createAction(
    () => {
      const choice = type() === 'choice' ? { options: parseOptions(options()) } : {};
      return props.field
        ? trpc.customFields.update.mutate({
            id: props.field.id,
            name: name().trim(),
            description: description().trim() || null,
            ...choice,
          })
        : trpc.customFields.create.mutate({
            key: shownKey(),
            name: name().trim(),
            type: type(),
            ...choice,
            ...(description().trim() ? { description: description().trim() } : {}),
          });
    },
    {
      success: (saved) => `Field ${saved.name} saved`,
      after: (saved) => {
        props.onSaved(saved);
        if (props.field) return;
        batch(() => {
          setName('');
          setKey('');
          setKeyEdited(false);
          setType('text');
          setOptions('');
          setDescription('');
        });
      },
    },
  );
  const error = (field: string) => fieldError(save.error(), field);
  const optionsId = `${props.field ? `edit-${props.field.id}` : 'new-field'}-options`;
  return (
    <form
      class="card stack"
      aria-label={props.field ? `Edit ${props.field.name}` : 'Create a custom field'}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <div class="row">
        <TextField
          label="Name"
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          required
          maxLength={200}
          error={error('name')}
        />
        <TextField
          label="Key"
          hint="(for SQL, journeys and templates; never changes)"
          class="mono"
          value={shownKey()}
          disabled={!!props.field}
          required
          pattern="[a-z][a-z0-9_]*"
          error={error('key')}
          onInput={(e) => {
            // Read the typed value before keyEdited flips `value` from the suggestion to key().
            const typed = e.currentTarget.value;
            batch(() => {
              setKey(typed);
              setKeyEdited(true);
            });
          }}
        />
        <Select
          label="Type"
          options={typeOptions}
          value={type()}
          disabled={!!props.field}
          onChange={(value) => {
            if (isFieldType(value)) setType(value);
          }}
        />
      </div>
      <Show when={type() === 'choice'}>
        <Field
          id={optionsId}
          label="Options"
          hint={
            <>
              (one a line: <code>key = Label</code>, or just the label)
            </>
          }
          error={error('options')}
        >
          <textarea
            id={optionsId}
            rows={4}
            value={options()}
            onInput={(e) => setOptions(e.currentTarget.value)}
          />
        </Field>
      </Show>
      <TextField
        label="Description"
        hint="(optional)"
        value={description()}
        onInput={(e) => setDescription(e.currentTarget.value)}
        maxLength={500}
        error={error('description')}
      />
      <div class="row">
        <button type="submit" disabled={save.pending()}>
          {props.field ? 'Save field' : 'Create field'}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="secondary" onClick={() => props.onCancel?.()}>
            Cancel
          </button>
        </Show>
      </div>
      <FormError error={save.error()} shown={['name', 'key', 'options', 'description']} />
    </form>
  );
}
