import { Match, Show, Switch } from 'solid-js';
import { SelectInput } from '../../kit/fields.js';
import type { InputValue } from '../../lib/field-values.js';
import type { CustomField } from '../../lib/people.js';

/** One custom field's typed input, with the server's reason for a bad value right below it. */
export function FieldInput(props: {
  field: CustomField;
  value: InputValue;
  error: string | undefined;
  disabled: boolean;
  onInput: (value: InputValue) => void;
}) {
  const id = () => `field-${props.field.key}`;
  const errorId = () => `${id()}-error`;
  const common = () => ({
    id: id(),
    disabled: props.disabled,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error ? errorId() : undefined,
  });
  const text = () => (typeof props.value === 'string' ? props.value : '');
  return (
    <div class={`field${props.field.type === 'boolean' ? ' check-field' : ''}`}>
      <label for={id()}>
        {props.field.name} <span class="hint mono">{props.field.key}</span>
      </label>
      <Switch>
        <Match when={props.field.type === 'boolean'}>
          <input
            {...common()}
            type="checkbox"
            checked={props.value === true}
            onChange={(e) => props.onInput(e.currentTarget.checked)}
          />
        </Match>
        <Match when={props.field.type === 'choice'}>
          <SelectInput
            id={id()}
            disabled={props.disabled}
            error={props.error}
            placeholder="—"
            options={props.field.options.map((o) => ({ value: o.key, label: o.label }))}
            value={text()}
            onChange={(value) => props.onInput(value)}
          />
        </Match>
        <Match when={props.field.type === 'number'}>
          {/* Text with a numeric keyboard: what does not parse reaches the server, whose reason shows here. */}
          <input
            {...common()}
            inputmode="decimal"
            value={text()}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </Match>
        <Match when={props.field.type === 'date'}>
          <input
            {...common()}
            type="date"
            value={text()}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </Match>
        <Match when={props.field.type === 'datetime'}>
          <input
            {...common()}
            type="datetime-local"
            value={text()}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </Match>
        <Match when={props.field.type === 'text'}>
          <input {...common()} value={text()} onInput={(e) => props.onInput(e.currentTarget.value)} />
        </Match>
      </Switch>
      <Show when={props.error}>
        <p class="field-error" id={errorId()}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}
