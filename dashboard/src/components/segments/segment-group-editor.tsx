import { Index, Match, Show, Switch } from 'solid-js';
import type {
  BuilderGroup,
  BuilderNode,
  Condition,
} from '../../../../engine/segments/segment-builder.schema.js';
import { ConditionRow } from './condition-row.js';
import type { FieldOption } from './conditions/condition-editor.js';
import { conditionKinds } from './conditions/condition-registry.js';

/** Groups nest this deep at most (the root is 1): enough for "A and (B or (C and D))". */
const maxDepth = 3;

const isCondition = (n: BuilderNode): n is Condition => n.kind !== 'group' && n.kind !== 'not';

/**
 * One AND / OR group of the segment builder. Its rows are conditions or nested groups, each
 * negatable with NOT. Rows are indexed by position (Index, not For): editing a condition
 * replaces its object, and For would rebuild the row and take the focus from the input being
 * typed in.
 */
export function SegmentGroupEditor(props: {
  group: BuilderGroup;
  fields: FieldOption[];
  onChange: (group: BuilderGroup) => void;
  depth?: number;
  /** The group's accessible name; the root has none (the form is the segment). */
  name?: string;
}) {
  const depth = () => props.depth ?? 1;
  const rows = () => props.group.conditions;
  const setRows = (conditions: BuilderNode[]) => props.onChange({ ...props.group, conditions });
  const update = (index: number, node: BuilderNode) =>
    setRows(rows().map((n, i) => (i === index ? node : n)));
  const remove = (index: number) => setRows(rows().filter((_, i) => i !== index));
  const negated = (node: BuilderNode) => node.kind === 'not';
  const inner = (node: BuilderNode) => (node.kind === 'not' ? node.condition : node);
  const rewrap = (node: BuilderNode, replacement: BuilderNode): BuilderNode =>
    node.kind === 'not' ? { kind: 'not', condition: replacement } : replacement;

  return (
    <fieldset class="builder-group" aria-label={props.name}>
      <label>
        {depth() === 1 ? 'People matching' : 'Matching'}
        <select
          value={props.group.op}
          onChange={(e) => props.onChange({ ...props.group, op: e.currentTarget.value as 'and' | 'or' })}
        >
          <option value="and">all conditions (AND)</option>
          <option value="or">any condition (OR)</option>
        </select>
      </label>
      <Index each={rows()}>
        {(node, index) => (
          <div class="row builder-row">
            <label class="check">
              <input
                type="checkbox"
                checked={negated(node())}
                onChange={(e) =>
                  update(
                    index,
                    e.currentTarget.checked ? { kind: 'not', condition: inner(node()) } : inner(node()),
                  )
                }
              />
              NOT
            </label>
            <Switch fallback={<code>{JSON.stringify(node())}</code>}>
              <Match when={inner(node()).kind === 'group' && (inner(node()) as BuilderGroup)}>
                {(group) => (
                  <SegmentGroupEditor
                    group={group()}
                    fields={props.fields}
                    depth={depth() + 1}
                    name={`Group ${index + 1}`}
                    onChange={(g) => update(index, rewrap(node(), g))}
                  />
                )}
              </Match>
              <Match when={isCondition(inner(node())) && (inner(node()) as Condition)}>
                {(condition) => (
                  <ConditionRow
                    condition={condition()}
                    fields={props.fields}
                    onChange={(c) => update(index, rewrap(node(), c))}
                  />
                )}
              </Match>
            </Switch>
            <button type="button" class="secondary" onClick={() => remove(index)}>
              Remove
            </button>
          </div>
        )}
      </Index>
      <div class="row">
        <button
          type="button"
          class="secondary"
          onClick={() => setRows([...rows(), conditionKinds[0]!.make(props.fields)])}
        >
          Add condition
        </button>
        <Show when={depth() < maxDepth}>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              setRows([
                ...rows(),
                { kind: 'group', op: 'or', conditions: [conditionKinds[0]!.make(props.fields)] },
              ])
            }
          >
            Add group
          </button>
        </Show>
      </div>
    </fieldset>
  );
}
