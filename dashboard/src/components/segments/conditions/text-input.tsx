import { createUniqueId } from 'solid-js';

/**
 * A labelled text input of a condition. `value` is read inside the input's own binding:
 * passed as a plain string, each key would rebuild the input and take its focus.
 */
export function ConditionText(props: { label: string; value: string; onInput: (value: string) => void }) {
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} />
    </div>
  );
}
