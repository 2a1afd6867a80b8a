import { For, Match, Show, Switch } from 'solid-js';
import type { Condition } from '../../../engine/segments/segment-builder.schema.js';

export interface FieldOption {
  key: string;
  name: string;
  type: string;
}

/** The kinds a row can be, with a new condition of that kind. */
export const conditionKinds: {
  kind: Condition['kind'];
  label: string;
  make: (f: FieldOption[]) => Condition;
}[] = [
  {
    kind: 'field',
    label: 'Field',
    make: (f) => ({ kind: 'field', key: f[0]?.key ?? 'x', op: 'eq', value: '' }),
  },
  { kind: 'label', label: 'Label', make: () => ({ kind: 'label', op: 'has', label: '' }) },
  { kind: 'language', label: 'Language', make: () => ({ kind: 'language', op: 'eq', value: 'en' }) },
  { kind: 'opt_in', label: 'Opt-in', make: () => ({ kind: 'opt_in', value: 'opted_in' }) },
  { kind: 'blocked', label: 'Blocked', make: () => ({ kind: 'blocked', value: true }) },
  {
    kind: 'last_message',
    label: 'Last message',
    make: () => ({ kind: 'last_message', period: { type: 'last_days', days: 7 } }),
  },
  {
    kind: 'first_message',
    label: 'First message',
    make: () => ({ kind: 'first_message', period: { type: 'last_days', days: 30 } }),
  },
  {
    kind: 'message_count',
    label: 'Messages received',
    make: () => ({ kind: 'message_count', atLeast: 3, days: 30 }),
  },
  {
    kind: 'replied_to_reminder',
    label: 'Replied to reminder',
    make: () => ({ kind: 'replied_to_reminder', reminderId: '' }),
  },
  { kind: 'pressed_button', label: 'Pressed button', make: () => ({ kind: 'pressed_button', value: '' }) },
  { kind: 'journey', label: 'Journey', make: () => ({ kind: 'journey', event: 'completed', journeyId: '' }) },
];

const fieldOps = [
  ['eq', 'is'],
  ['neq', 'is not'],
  ['contains', 'contains'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['set', 'has a value'],
  ['not_set', 'has no value'],
] as const;

/** One condition of the builder: its kind, then the inputs that kind needs. */
export function SegmentConditionRow(props: {
  condition: Condition;
  fields: FieldOption[];
  onChange: (c: Condition) => void;
}) {
  const c = () => props.condition;
  const set = (patch: Record<string, unknown>) => props.onChange({ ...c(), ...patch } as Condition);
  const typed = (key: string, raw: string) => {
    const type = props.fields.find((f) => f.key === key)?.type;
    if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    if (type === 'boolean') return raw === 'true';
    return raw;
  };
  // The value is an accessor, read inside the input's own binding: passed as a string, each
  // key would rebuild the input (a new element, without the focus) instead of updating it.
  const text = (label: string, value: () => string, patch: (v: string) => Record<string, unknown>) => (
    <label>
      {label}
      <input value={value()} onInput={(e) => set(patch(e.currentTarget.value))} />
    </label>
  );
  return (
    <div class="row condition">
      <label>
        Condition
        <select
          aria-label="Condition"
          value={c().kind}
          onChange={(e) =>
            props.onChange(conditionKinds.find((k) => k.kind === e.currentTarget.value)!.make(props.fields))
          }
        >
          <For each={conditionKinds}>{(k) => <option value={k.kind}>{k.label}</option>}</For>
        </select>
      </label>
      <Switch>
        <Match when={c().kind === 'field' && (c() as Extract<Condition, { kind: 'field' }>)}>
          {(f) => (
            <>
              <label>
                Field
                <select
                  aria-label="Field"
                  value={f().key}
                  onChange={(e) => set({ key: e.currentTarget.value })}
                >
                  <For each={props.fields}>{(o) => <option value={o.key}>{o.name}</option>}</For>
                </select>
              </label>
              <label>
                Operator
                <select
                  aria-label="Operator"
                  value={f().op}
                  onChange={(e) => set({ op: e.currentTarget.value })}
                >
                  <For each={fieldOps}>{([op, label]) => <option value={op}>{label}</option>}</For>
                </select>
              </label>
              <Show when={f().op !== 'set' && f().op !== 'not_set'}>
                {text(
                  'Value',
                  () => String(f().value ?? ''),
                  (v) => ({ value: typed(f().key, v) }),
                )}
              </Show>
            </>
          )}
        </Match>
        <Match when={c().kind === 'label' && (c() as Extract<Condition, { kind: 'label' }>)}>
          {(l) => (
            <>
              <label>
                Has
                <select aria-label="Has" value={l().op} onChange={(e) => set({ op: e.currentTarget.value })}>
                  <option value="has">has label</option>
                  <option value="has_not">has not label</option>
                </select>
              </label>
              {text(
                'Label',
                () => l().label,
                (v) => ({ label: v }),
              )}
            </>
          )}
        </Match>
        <Match when={c().kind === 'language' && (c() as Extract<Condition, { kind: 'language' }>)}>
          {(l) => (
            <>
              <label>
                Is
                <select aria-label="Is" value={l().op} onChange={(e) => set({ op: e.currentTarget.value })}>
                  <option value="eq">is</option>
                  <option value="neq">is not</option>
                </select>
              </label>
              {text(
                'Language code',
                () => l().value,
                (v) => ({ value: v }),
              )}
            </>
          )}
        </Match>
        <Match when={c().kind === 'opt_in' && (c() as Extract<Condition, { kind: 'opt_in' }>)}>
          {(o) => (
            <label>
              State
              <select
                aria-label="State"
                value={o().value}
                onChange={(e) => set({ value: e.currentTarget.value })}
              >
                <option value="opted_in">opted in</option>
                <option value="opted_out">opted out</option>
                <option value="unknown">unknown</option>
              </select>
            </label>
          )}
        </Match>
        <Match when={c().kind === 'blocked' && (c() as Extract<Condition, { kind: 'blocked' }>)}>
          {(b) => (
            <label>
              Blocked
              <select
                aria-label="Blocked"
                value={String(b().value)}
                onChange={(e) => set({ value: e.currentTarget.value === 'true' })}
              >
                <option value="true">yes</option>
                <option value="false">no</option>
              </select>
            </label>
          )}
        </Match>
        <Match
          when={
            (c().kind === 'last_message' || c().kind === 'first_message') &&
            (c() as Extract<Condition, { kind: 'last_message' }>)
          }
        >
          {(m) => (
            <>
              <label>
                When
                <select
                  aria-label="When"
                  value={m().period.type}
                  onChange={(e) => {
                    const type = e.currentTarget.value;
                    const today = new Date().toISOString().slice(0, 10);
                    set({ period: type === 'last_days' ? { type, days: 7 } : { type, date: today } });
                  }}
                >
                  <option value="last_days">in the last … days</option>
                  <option value="before">before</option>
                  <option value="after">after</option>
                </select>
              </label>
              <Show
                when={m().period.type === 'last_days'}
                fallback={text(
                  'Date',
                  () => ('date' in m().period ? (m().period as { date: string }).date : ''),
                  (v) => ({ period: { ...m().period, date: v } }),
                )}
              >
                {text(
                  'Days',
                  () => String((m().period as { days?: number }).days ?? 7),
                  (v) => ({
                    period: { type: 'last_days', days: Number(v) || 1 },
                  }),
                )}
              </Show>
            </>
          )}
        </Match>
        <Match when={c().kind === 'message_count' && (c() as Extract<Condition, { kind: 'message_count' }>)}>
          {(m) => (
            <>
              {text(
                'At least',
                () => String(m().atLeast),
                (v) => ({ atLeast: Number(v) || 1 }),
              )}
              {text(
                'In the last days',
                () => String(m().days),
                (v) => ({ days: Number(v) || 1 }),
              )}
            </>
          )}
        </Match>
        <Match
          when={
            c().kind === 'replied_to_reminder' && (c() as Extract<Condition, { kind: 'replied_to_reminder' }>)
          }
        >
          {(r) =>
            text(
              'Reminder id',
              () => r().reminderId,
              (v) => ({ reminderId: v }),
            )
          }
        </Match>
        <Match
          when={c().kind === 'pressed_button' && (c() as Extract<Condition, { kind: 'pressed_button' }>)}
        >
          {(b) =>
            text(
              'Button id or payload',
              () => b().value,
              (v) => ({ value: v }),
            )
          }
        </Match>
        <Match when={c().kind === 'journey' && (c() as Extract<Condition, { kind: 'journey' }>)}>
          {(j) => (
            <>
              <label>
                Event
                <select
                  aria-label="Event"
                  value={j().event}
                  onChange={(e) => set({ event: e.currentTarget.value })}
                >
                  <option value="started">started</option>
                  <option value="completed">completed</option>
                  <option value="dropped">dropped</option>
                </select>
              </label>
              {text(
                'Journey id',
                () => j().journeyId,
                (v) => ({ journeyId: v }),
              )}
              <Show when={j().event === 'dropped'}>
                {text(
                  'At card',
                  () => j().cardId ?? '',
                  (v) => ({ cardId: v === '' ? undefined : v }),
                )}
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
