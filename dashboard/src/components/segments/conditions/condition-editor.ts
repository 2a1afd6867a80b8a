import type { Component } from 'solid-js';
import type { Condition } from '../../../../../engine/segments/segment-builder.schema.js';

/** A custom field as the builder offers it (segments.fields). */
export interface FieldOption {
  key: string;
  name: string;
  type: string;
  options: { key: string; label: string }[];
}

export type ConditionOf<K extends Condition['kind']> = Extract<Condition, { kind: K }>;

export interface ConditionEditorProps<C extends Condition> {
  condition: C;
  fields: FieldOption[];
  onChange: (condition: C) => void;
}

/**
 * One kind of condition in the builder: its name, a new condition of that kind, and the inputs
 * that edit it. Journey card editors follow the same pattern.
 */
export interface ConditionEditor<K extends Condition['kind']> {
  kind: K;
  label: string;
  make: (fields: FieldOption[]) => ConditionOf<K>;
  Editor: Component<ConditionEditorProps<ConditionOf<K>>>;
}
