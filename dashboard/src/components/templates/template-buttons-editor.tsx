import { Index, Show } from 'solid-js';
import { Select, TextField } from '../../kit/fields.js';
import {
  type ButtonType,
  type Category,
  type DraftButton,
  newButton,
  type OtpType,
  variableKeys,
} from '../../lib/template-draft.js';

const kinds: { value: ButtonType; label: string }[] = [
  { value: 'QUICK_REPLY', label: 'Quick reply' },
  { value: 'URL', label: 'Visit website' },
  { value: 'PHONE_NUMBER', label: 'Call phone number' },
  { value: 'COPY_CODE', label: 'Copy offer code (marketing)' },
  { value: 'OTP', label: 'One-time password (authentication)' },
];

const otpTypes: { value: OtpType; label: string }[] = [
  { value: 'COPY_CODE', label: 'Copy code' },
  { value: 'ONE_TAP', label: 'One-tap autofill' },
  { value: 'ZERO_TAP', label: 'Zero-tap' },
];

/**
 * The template's buttons, each with the inputs of its kind; `error(path)` gives the server's
 * reason for a path under the BUTTONS component (`[0].url`), `listError` the reason for the
 * whole list (too many, quick replies not kept together).
 */
export function TemplateButtonsEditor(props: {
  category: Category;
  buttons: DraftButton[];
  onChange: (buttons: DraftButton[]) => void;
  error: (path: string) => string | undefined;
  listError: string | undefined;
}) {
  const set = (i: number, patch: Partial<DraftButton>) =>
    props.onChange(props.buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const add = () =>
    props.onChange([
      ...props.buttons,
      newButton(props.category === 'AUTHENTICATION' ? 'OTP' : 'QUICK_REPLY'),
    ]);
  return (
    <fieldset class="stack" aria-invalid={props.listError ? true : undefined}>
      <legend>Buttons</legend>
      <Index each={props.buttons}>
        {(button, i) => (
          <fieldset class="row template-button">
            <legend class="visually-hidden">Button {i + 1}</legend>
            <Select
              label="Kind"
              options={kinds}
              value={button().type}
              onChange={(type) => set(i, { type: type as ButtonType })}
              error={props.error(`[${i}].type`)}
            />
            <Show when={button().type !== 'COPY_CODE'}>
              <TextField
                label="Button text"
                maxLength={25}
                value={button().text}
                onInput={(e) => set(i, { text: e.currentTarget.value })}
                error={props.error(`[${i}].text`)}
              />
            </Show>
            <Show when={button().type === 'URL'}>
              <TextField
                label="URL"
                hint="(may end in {{1}})"
                type="url"
                value={button().url}
                onInput={(e) => set(i, { url: e.currentTarget.value })}
                error={props.error(`[${i}].url`)}
              />
              <Show when={variableKeys(button().url).length > 0}>
                <TextField
                  label="Example URL"
                  value={button().example}
                  onInput={(e) => set(i, { example: e.currentTarget.value })}
                  error={props.error(`[${i}].example`)}
                />
              </Show>
            </Show>
            <Show when={button().type === 'PHONE_NUMBER'}>
              <TextField
                label="Phone number"
                type="tel"
                value={button().phone_number}
                onInput={(e) => set(i, { phone_number: e.currentTarget.value })}
                error={props.error(`[${i}].phone_number`)}
              />
            </Show>
            <Show when={button().type === 'COPY_CODE'}>
              <TextField
                label="Sample code"
                maxLength={15}
                value={button().example}
                onInput={(e) => set(i, { example: e.currentTarget.value })}
                error={props.error(`[${i}].example`)}
              />
            </Show>
            <Show when={button().type === 'OTP'}>
              <Select
                label="Code delivery"
                options={otpTypes}
                value={button().otp_type}
                onChange={(otp) => set(i, { otp_type: otp as OtpType })}
                error={props.error(`[${i}].otp_type`)}
              />
            </Show>
            <button
              type="button"
              class="secondary"
              onClick={() => props.onChange(props.buttons.filter((_, j) => j !== i))}
            >
              Remove button
            </button>
          </fieldset>
        )}
      </Index>
      <Show when={props.listError}>
        <p class="field-error">{props.listError}</p>
      </Show>
      <div class="row">
        <button type="button" class="secondary" onClick={add} disabled={props.buttons.length >= 10}>
          Add button
        </button>
      </div>
    </fieldset>
  );
}
