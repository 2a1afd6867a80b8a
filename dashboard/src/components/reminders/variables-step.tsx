import { For, Show } from 'solid-js';
import { Select, TextField } from '../../kit/fields.js';
import type { ReminderDraft, VariableDraft } from '../../lib/reminder-draft.js';
import type { Outputs } from '../../lib/trpc.js';

type Field = Outputs['customFields']['list'][number];

const sources = [
  { value: 'name', label: 'Their name' },
  { value: 'field', label: 'A profile field' },
  { value: 'text', label: 'The same text for everyone' },
];

/**
 * Step 3: each body variable from each person's profile, with the value to use when theirs is
 * empty (WhatsApp refuses a template with an empty parameter), or one text for everyone.
 */
export function VariablesStep(props: {
  draft: ReminderDraft;
  patch: (change: Partial<ReminderDraft>) => void;
  variables: readonly string[];
  fields: readonly Field[];
  error: (field: string) => string | undefined;
}) {
  const variable = (key: string): VariableDraft =>
    props.draft.variables[key] ?? { from: 'name', key: '', fallback: '', value: '' };
  const set = (key: string, change: Partial<VariableDraft>) =>
    props.patch({ variables: { ...props.draft.variables, [key]: { ...variable(key), ...change } } });
  return (
    <Show
      when={props.variables.length > 0}
      fallback={<p>This template has no variables: everyone gets the same text.</p>}
    >
      <div class="stack">
        <For each={props.variables}>
          {(key, index) => {
            const at = (path: string) => props.error(`template.body.${index()}.source${path}`);
            return (
              <fieldset class="card stack" aria-label={`Variable {{${key}}}`}>
                <legend>{`{{${key}}}`}</legend>
                <div class="row">
                  <Select
                    label="Value"
                    options={sources}
                    value={variable(key).from}
                    onChange={(from) => set(key, { from: from as VariableDraft['from'] })}
                  />
                  <Show when={variable(key).from === 'field'}>
                    <Select
                      label="Profile field"
                      placeholder="Choose a field"
                      options={props.fields.map((f) => ({ value: f.key, label: f.name }))}
                      value={variable(key).key}
                      onChange={(fieldKey) => set(key, { key: fieldKey })}
                      error={at('.key')}
                    />
                  </Show>
                  <Show
                    when={variable(key).from !== 'text'}
                    fallback={
                      <TextField
                        label="Text"
                        value={variable(key).value}
                        onInput={(e) => set(key, { value: e.currentTarget.value })}
                        error={at('.value')}
                      />
                    }
                  >
                    <TextField
                      label="When empty, use"
                      value={variable(key).fallback}
                      onInput={(e) => set(key, { fallback: e.currentTarget.value })}
                      error={at('.fallback')}
                    />
                  </Show>
                </div>
              </fieldset>
            );
          }}
        </For>
      </div>
    </Show>
  );
}
