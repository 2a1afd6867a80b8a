import { Dynamic } from 'solid-js/web';
import type { Condition } from '../../../../engine/segments/segment-builder.schema.js';
import { Select } from '../../kit/fields.js';
import type { ConditionEditor, FieldOption } from './conditions/condition-editor.js';
import { conditionKinds, conditionRegistry } from './conditions/condition-registry.js';

const kindOptions = conditionKinds.map((k) => ({ value: k.kind, label: k.label }));

/** One condition of the builder: its kind, then the editor the registry holds for that kind. */
export function ConditionRow(props: {
  condition: Condition;
  fields: FieldOption[];
  onChange: (condition: Condition) => void;
}) {
  // The registry pairs each kind with its editor; indexing it by a kind that TypeScript only
  // knows as the union loses that pairing, which this one widening restores.
  const editor = () => conditionRegistry[props.condition.kind] as ConditionEditor<Condition['kind']>;
  return (
    <div class="row condition">
      <Select
        label="Condition"
        options={kindOptions}
        value={props.condition.kind}
        onChange={(kind) => {
          const next = conditionKinds.find((k) => k.kind === kind);
          if (next) props.onChange(next.make(props.fields));
        }}
      />
      <Dynamic
        component={editor().Editor}
        condition={props.condition}
        fields={props.fields}
        onChange={props.onChange}
      />
    </div>
  );
}
