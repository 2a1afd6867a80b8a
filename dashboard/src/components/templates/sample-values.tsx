import { For, Show } from 'solid-js';
import { TextField } from '../../kit/fields.js';
import { variableKeys } from '../../lib/template-draft.js';

/**
 * One sample value per variable of a text ({{1}} or {{first_name}}): Meta's reviewers read the
 * text with them, and the preview shows them. `error` is the server's reason for the samples.
 */
export function SampleValues(props: {
  what: string;
  text: string;
  samples: Record<string, string>;
  onChange: (samples: Record<string, string>) => void;
  error: string | undefined;
}) {
  return (
    <Show when={variableKeys(props.text).length > 0}>
      <fieldset class="stack samples">
        <legend>{props.what} samples</legend>
        <div class="row">
          <For each={variableKeys(props.text)}>
            {(key) => (
              <TextField
                label={`Sample for {{${key}}}`}
                value={props.samples[key] ?? ''}
                onInput={(e) => props.onChange({ ...props.samples, [key]: e.currentTarget.value })}
              />
            )}
          </For>
        </div>
        <Show when={props.error}>
          <p class="field-error">{props.error}</p>
        </Show>
      </fieldset>
    </Show>
  );
}
