import { Match, Show, Switch } from 'solid-js';
import { type FieldOperator, fieldOperators } from '../../../../../engine/segments/segment-builder.schema.js';
import { Select } from '../../../kit/fields.js';
import type { ConditionEditor } from './condition-editor.js';
import { ConditionText } from './text-input.js';

const operatorLabels: Record<FieldOperator, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  set: 'has a value',
  not_set: 'has no value',
};
const operatorOptions = fieldOperators.map((op) => ({ value: op, label: operatorLabels[op] }));
const isOperator = (v: string): v is FieldOperator => v in operatorLabels;

/** A custom field compared with a value; a choice field's value is one of its options. */
export const fieldCondition: ConditionEditor<'field'> = {
  kind: 'field',
  label: 'Field',
  make: (fields) => ({ kind: 'field', key: fields[0]?.key ?? 'x', op: 'eq', value: '' }),
  Editor: (props) => {
    const field = () => props.fields.find((f) => f.key === props.condition.key);
    const typed = (raw: string) => {
      const type = field()?.type;
      if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
      if (type === 'boolean') return raw === 'true';
      return raw;
    };
    const set = (value: string) => props.onChange({ ...props.condition, value: typed(value) });
    return (
      <>
        <Select
          label="Field"
          options={props.fields.map((f) => ({ value: f.key, label: f.name }))}
          value={props.condition.key}
          onChange={(key) => props.onChange({ ...props.condition, key, value: '' })}
        />
        <Select
          label="Operator"
          options={operatorOptions}
          value={props.condition.op}
          onChange={(op) => {
            if (isOperator(op)) props.onChange({ ...props.condition, op });
          }}
        />
        <Show when={props.condition.op !== 'set' && props.condition.op !== 'not_set'}>
          <Switch
            fallback={
              <ConditionText label="Value" value={String(props.condition.value ?? '')} onInput={set} />
            }
          >
            <Match when={field()?.type === 'choice'}>
              <Select
                label="Value"
                placeholder="Choose…"
                options={(field()?.options ?? []).map((o) => ({ value: o.key, label: o.label }))}
                value={String(props.condition.value ?? '')}
                onChange={set}
              />
            </Match>
            <Match when={field()?.type === 'boolean'}>
              <Select
                label="Value"
                options={[
                  { value: 'true', label: 'yes' },
                  { value: 'false', label: 'no' },
                ]}
                value={String(props.condition.value ?? true)}
                onChange={set}
              />
            </Match>
          </Switch>
        </Show>
      </>
    );
  },
};
