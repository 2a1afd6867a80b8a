import { Select } from '../../../kit/fields.js';
import type { ConditionEditor } from './condition-editor.js';

const states = ['opted_in', 'opted_out', 'unknown'] as const;

/** Whether the person stopped or resumed marketing messages (WhatsApp's user_preferences). */
export const marketingOptInCondition: ConditionEditor<'marketing_opt_in'> = {
  kind: 'marketing_opt_in',
  label: 'Marketing messages',
  make: () => ({ kind: 'marketing_opt_in', value: 'opted_out' }),
  Editor: (props) => (
    <Select
      label="State"
      options={[
        { value: 'opted_in', label: 'receives marketing' },
        { value: 'opted_out', label: 'stopped marketing' },
        { value: 'unknown', label: 'never said' },
      ]}
      value={props.condition.value}
      onChange={(value) => {
        const state = states.find((s) => s === value);
        if (state) props.onChange({ ...props.condition, value: state });
      }}
    />
  ),
};

const identities = ['phone', 'bsuid', 'username'] as const;

/** Has (or has not) a phone number, a business-scoped user id or a username. */
export const identityCondition: ConditionEditor<'identity'> = {
  kind: 'identity',
  label: 'WhatsApp identity',
  make: () => ({ kind: 'identity', identity: 'phone', present: false }),
  Editor: (props) => (
    <>
      <Select
        label="Has"
        options={[
          { value: 'yes', label: 'has' },
          { value: 'no', label: 'has no' },
        ]}
        value={props.condition.present ? 'yes' : 'no'}
        onChange={(value) => props.onChange({ ...props.condition, present: value === 'yes' })}
      />
      <Select
        label="Identity"
        options={[
          { value: 'phone', label: 'phone number' },
          { value: 'bsuid', label: 'business-scoped user id' },
          { value: 'username', label: 'username' },
        ]}
        value={props.condition.identity}
        onChange={(value) => {
          const identity = identities.find((i) => i === value);
          if (identity) props.onChange({ ...props.condition, identity });
        }}
      />
    </>
  ),
};
