import { Select } from '../../../kit/fields.js';
import type { ConditionEditor } from './condition-editor.js';
import { ConditionText } from './text-input.js';

/** Has (or has not) a label. */
export const labelCondition: ConditionEditor<'label'> = {
  kind: 'label',
  label: 'Label',
  make: () => ({ kind: 'label', op: 'has', label: '' }),
  Editor: (props) => (
    <>
      <Select
        label="Has"
        options={[
          { value: 'has', label: 'has label' },
          { value: 'has_not', label: 'has not label' },
        ]}
        value={props.condition.op}
        onChange={(op) => props.onChange({ ...props.condition, op: op === 'has_not' ? 'has_not' : 'has' })}
      />
      <ConditionText
        label="Label"
        value={props.condition.label}
        onInput={(label) => props.onChange({ ...props.condition, label })}
      />
    </>
  ),
};

/** Speaks (or does not speak) a language. */
export const languageCondition: ConditionEditor<'language'> = {
  kind: 'language',
  label: 'Language',
  make: () => ({ kind: 'language', op: 'eq', value: 'en' }),
  Editor: (props) => (
    <>
      <Select
        label="Is"
        options={[
          { value: 'eq', label: 'is' },
          { value: 'neq', label: 'is not' },
        ]}
        value={props.condition.op}
        onChange={(op) => props.onChange({ ...props.condition, op: op === 'neq' ? 'neq' : 'eq' })}
      />
      <ConditionText
        label="Language code"
        value={props.condition.value}
        onInput={(value) => props.onChange({ ...props.condition, value })}
      />
    </>
  ),
};

const optInStates = ['opted_in', 'opted_out', 'unknown'] as const;

/** The person's opt-in state. */
export const optInCondition: ConditionEditor<'opt_in'> = {
  kind: 'opt_in',
  label: 'Opt-in',
  make: () => ({ kind: 'opt_in', value: 'opted_in' }),
  Editor: (props) => (
    <Select
      label="State"
      options={[
        { value: 'opted_in', label: 'opted in' },
        { value: 'opted_out', label: 'opted out' },
        { value: 'unknown', label: 'unknown' },
      ]}
      value={props.condition.value}
      onChange={(value) => {
        const state = optInStates.find((s) => s === value);
        if (state) props.onChange({ ...props.condition, value: state });
      }}
    />
  ),
};

/** Blocked or not. */
export const blockedCondition: ConditionEditor<'blocked'> = {
  kind: 'blocked',
  label: 'Blocked',
  make: () => ({ kind: 'blocked', value: true }),
  Editor: (props) => (
    <Select
      label="Blocked"
      options={[
        { value: 'true', label: 'yes' },
        { value: 'false', label: 'no' },
      ]}
      value={String(props.condition.value)}
      onChange={(value) => props.onChange({ ...props.condition, value: value === 'true' })}
    />
  ),
};

/** Replied to a reminder. */
export const repliedToReminderCondition: ConditionEditor<'replied_to_reminder'> = {
  kind: 'replied_to_reminder',
  label: 'Replied to reminder',
  make: () => ({ kind: 'replied_to_reminder', reminderId: '' }),
  Editor: (props) => (
    <ConditionText
      label="Reminder id"
      value={props.condition.reminderId}
      onInput={(reminderId) => props.onChange({ ...props.condition, reminderId })}
    />
  ),
};

/** Pressed a button (by its id or payload). */
export const pressedButtonCondition: ConditionEditor<'pressed_button'> = {
  kind: 'pressed_button',
  label: 'Pressed button',
  make: () => ({ kind: 'pressed_button', value: '' }),
  Editor: (props) => (
    <ConditionText
      label="Button id or payload"
      value={props.condition.value}
      onInput={(value) => props.onChange({ ...props.condition, value })}
    />
  ),
};
