import { For, Show } from 'solid-js';
import { Select, TextField } from '../../kit/fields.js';
import type { ReminderDraft, VariableDraft, VariableSlot } from '../../lib/reminder-draft.js';
import type { Outputs } from '../../lib/trpc.js';

type Field = Outputs['customFields']['list'][number];

const sources = [
  { value: 'name', label: 'Their name' },
  { value: 'field', label: 'A profile field' },
  { value: 'text', label: 'The same text for everyone' },
];

/**
 * Step 3: each variable of the header, the body and the URL buttons from each person's
 * profile, with the value to use when theirs is empty (WhatsApp refuses a template with an
 * empty parameter), or one text for everyone; and the link of a media header.
 */
export function VariablesStep(props: {
  draft: ReminderDraft;
  patch: (change: Partial<ReminderDraft>) => void;
  slots: readonly VariableSlot[];
  media: 'image' | 'video' | 'document' | null;
  fields: readonly Field[];
  error: (field: string) => string | undefined;
}) {
  const variable = (key: string): VariableDraft =>
    props.draft.variables[key] ?? { from: 'name', key: '', fallback: '', value: '' };
  const set = (key: string, change: Partial<VariableDraft>) =>
    props.patch({ variables: { ...props.draft.variables, [key]: { ...variable(key), ...change } } });
  return (
    <div class="stack">
      <Show when={props.media}>
        {(media) => (
          <TextField
            label={`Header ${media()} link`}
            hint="(https address WhatsApp fetches for every message)"
            type="url"
            required
            value={props.draft.headerLink}
            onInput={(e) => props.patch({ headerLink: e.currentTarget.value })}
            error={props.error('template.header.link') ?? props.error('template.header')}
          />
        )}
      </Show>
      <Show
        when={props.slots.length > 0}
        fallback={<p>This template has no variables: everyone gets the same text.</p>}
      >
        <For each={props.slots}>
          {(slot) => {
            const key = slot.id;
            const at = (path: string) => props.error(`${slot.path}${path}`);
            return (
              <fieldset class="card stack" aria-label={`Variable ${slot.label}`}>
                <legend>{slot.label}</legend>
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
      </Show>
    </div>
  );
}
