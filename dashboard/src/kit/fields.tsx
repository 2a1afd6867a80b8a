import { createUniqueId, For, type JSX, Show, splitProps } from 'solid-js';
import { fieldErrors } from '../lib/trpc.js';

/** The server's reason for one field of a refused form (`name`, or an element of it like `name.0`). */
export function fieldError(error: unknown, name: string): string | undefined {
  return fieldErrors(error).find(
    (f) => f.field === name || f.field.startsWith(`${name}.`) || f.field.startsWith(`${name}[`),
  )?.reason;
}

/** A labelled control with an optional hint and the server's reason below it. */
export function Field(props: {
  label: JSX.Element;
  hint?: JSX.Element;
  error?: string | undefined;
  id: string;
  class?: string;
  children: JSX.Element;
}) {
  return (
    <div class={`field${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>
        {props.label}
        <Show when={props.hint}>
          {' '}
          <span class="hint">{props.hint}</span>
        </Show>
      </label>
      {props.children}
      <Show when={props.error}>
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

type InputAttributes = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id'>;

/** A text input in a Field; `error` marks it invalid and describes it with the reason. */
export function TextField(
  props: InputAttributes & { label: JSX.Element; hint?: JSX.Element; error?: string | undefined },
) {
  const [own, input] = splitProps(props, ['label', 'hint', 'error']);
  const id = createUniqueId();
  return (
    <Field id={id} label={own.label} hint={own.hint} error={own.error}>
      <input
        {...input}
        id={id}
        aria-invalid={own.error ? true : undefined}
        aria-describedby={own.error ? `${id}-error` : undefined}
      />
    </Field>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

/**
 * A select whose options carry the selection (`selected` on each option): setting the
 * select's own value before its options exist leaves it showing the first option.
 */
export function Select(props: {
  label: JSX.Element;
  options: readonly SelectOption[];
  value: string;
  onChange: (value: string) => void;
  hint?: JSX.Element;
  error?: string | undefined;
  disabled?: boolean;
  /** An empty first choice, e.g. "—" for "no value". */
  placeholder?: string;
  name?: string;
}) {
  const id = createUniqueId();
  return (
    <Field id={id} label={props.label} hint={props.hint} error={props.error}>
      <SelectInput {...props} id={id} />
    </Field>
  );
}

/** The bare select of `Select`, for tables and rows that label it themselves. */
export function SelectInput(props: {
  id?: string;
  'aria-label'?: string;
  options: readonly SelectOption[];
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  disabled?: boolean;
  placeholder?: string;
  name?: string;
}) {
  return (
    <select
      id={props.id}
      name={props.name}
      aria-label={props['aria-label']}
      disabled={props.disabled}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error && props.id ? `${props.id}-error` : undefined}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <Show when={props.placeholder !== undefined}>
        <option value="" selected={props.value === ''}>
          {props.placeholder}
        </option>
      </Show>
      <For each={props.options}>
        {(o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        )}
      </For>
    </select>
  );
}

/** Checkboxes for a set of values (token scopes, event types), with the server's reason. */
export function CheckboxGroup(props: {
  legend: string;
  name: string;
  options: readonly string[];
  value: ReadonlySet<string>;
  onChange: (value: Set<string>) => void;
  error?: string | undefined;
}) {
  const id = createUniqueId();
  return (
    <fieldset
      class="scopes"
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? `${id}-error` : undefined}
    >
      <legend>{props.legend}</legend>
      <For each={props.options}>
        {(option) => (
          <label class="check">
            <input
              type="checkbox"
              name={props.name}
              value={option}
              checked={props.value.has(option)}
              onChange={(e) => {
                const checked = new Set(props.value);
                if (e.currentTarget.checked) checked.add(option);
                else checked.delete(option);
                // In the list's order, not the order of the clicks, like a submitted form.
                props.onChange(new Set(props.options.filter((o) => checked.has(o))));
              }}
            />
            {option}
          </label>
        )}
      </For>
      <Show when={props.error}>
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      </Show>
    </fieldset>
  );
}
