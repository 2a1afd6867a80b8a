import { Show } from 'solid-js';
import { Select } from '../../../kit/fields.js';
import type { ConditionEditor } from './condition-editor.js';
import { ConditionText } from './text-input.js';

const events = ['started', 'completed', 'dropped'] as const;

/** Started, completed or dropped out of a journey (dropped optionally at a card). */
export const journeyCondition: ConditionEditor<'journey'> = {
  kind: 'journey',
  label: 'Journey',
  make: () => ({ kind: 'journey', event: 'completed', journeyId: '' }),
  Editor: (props) => (
    <>
      <Select
        label="Event"
        options={events.map((e) => ({ value: e, label: e }))}
        value={props.condition.event}
        onChange={(value) => {
          const event = events.find((e) => e === value);
          if (event) props.onChange({ ...props.condition, event });
        }}
      />
      <ConditionText
        label="Journey id"
        value={props.condition.journeyId}
        onInput={(journeyId) => props.onChange({ ...props.condition, journeyId })}
      />
      <Show when={props.condition.event === 'dropped'}>
        <ConditionText
          label="At card"
          value={props.condition.cardId ?? ''}
          onInput={(cardId) => {
            const { cardId: _old, ...rest } = props.condition;
            props.onChange(cardId === '' ? rest : { ...rest, cardId });
          }}
        />
      </Show>
    </>
  ),
};
