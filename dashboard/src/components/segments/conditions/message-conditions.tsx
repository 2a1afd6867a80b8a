import { Show } from 'solid-js';
import type { Period } from '../../../../../engine/segments/segment-builder.schema.js';
import { Select } from '../../../kit/fields.js';
import type { ConditionEditor } from './condition-editor.js';
import { ConditionText } from './text-input.js';

/** A period's inputs: in the last N days, or before / after a date. */
function PeriodInputs(props: { period: Period; onChange: (period: Period) => void }) {
  const days = () => (props.period.type === 'last_days' ? props.period.days : 7);
  const date = () => (props.period.type === 'last_days' ? '' : props.period.date);
  return (
    <>
      <Select
        label="When"
        options={[
          { value: 'last_days', label: 'in the last … days' },
          { value: 'before', label: 'before' },
          { value: 'after', label: 'after' },
        ]}
        value={props.period.type}
        onChange={(type) => {
          const today = new Date().toISOString().slice(0, 10);
          if (type === 'before' || type === 'after') props.onChange({ type, date: today });
          else props.onChange({ type: 'last_days', days: 7 });
        }}
      />
      <Show
        when={props.period.type === 'last_days'}
        fallback={
          <ConditionText
            label="Date"
            value={date()}
            onInput={(value) => {
              if (props.period.type !== 'last_days') props.onChange({ type: props.period.type, date: value });
            }}
          />
        }
      >
        <ConditionText
          label="Days"
          value={String(days())}
          onInput={(value) => props.onChange({ type: 'last_days', days: Number(value) || 1 })}
        />
      </Show>
    </>
  );
}

/** The last message they sent falls in a period. */
export const lastMessageCondition: ConditionEditor<'last_message'> = {
  kind: 'last_message',
  label: 'Last message',
  make: () => ({ kind: 'last_message', period: { type: 'last_days', days: 7 } }),
  Editor: (props) => (
    <PeriodInputs
      period={props.condition.period}
      onChange={(period) => props.onChange({ ...props.condition, period })}
    />
  ),
};

/** The first message they sent falls in a period. */
export const firstMessageCondition: ConditionEditor<'first_message'> = {
  kind: 'first_message',
  label: 'First message',
  make: () => ({ kind: 'first_message', period: { type: 'last_days', days: 30 } }),
  Editor: (props) => (
    <PeriodInputs
      period={props.condition.period}
      onChange={(period) => props.onChange({ ...props.condition, period })}
    />
  ),
};

/** Sent at least N messages in the last days. */
export const messageCountCondition: ConditionEditor<'message_count'> = {
  kind: 'message_count',
  label: 'Messages received',
  make: () => ({ kind: 'message_count', atLeast: 3, days: 30 }),
  Editor: (props) => (
    <>
      <ConditionText
        label="At least"
        value={String(props.condition.atLeast)}
        onInput={(v) => props.onChange({ ...props.condition, atLeast: Number(v) || 1 })}
      />
      <ConditionText
        label="In the last days"
        value={String(props.condition.days)}
        onInput={(v) => props.onChange({ ...props.condition, days: Number(v) || 1 })}
      />
    </>
  ),
};
