import { For } from 'solid-js';
import { type OptIn, optInLabels, optInStates } from '../../lib/people.js';

export interface PeopleFilterState {
  search: string;
  label: string;
  optIn: OptIn | '';
  blocked: '' | 'yes' | 'no';
}

/** The search box and the label, opt-in and blocked filters above the people list. */
export function PeopleFilters(props: {
  value: PeopleFilterState;
  labels: readonly { label: string; count: number }[];
  onChange: (next: PeopleFilterState) => void;
}) {
  const set = <K extends keyof PeopleFilterState>(key: K, value: PeopleFilterState[K]) =>
    props.onChange({ ...props.value, [key]: value });
  return (
    <search class="card row" aria-label="Find people">
      <label class="grow">
        Search
        <input
          type="search"
          placeholder="Name, phone or field value"
          value={props.value.search}
          onInput={(e) => set('search', e.currentTarget.value)}
        />
      </label>
      <label>
        Label
        <select value={props.value.label} onChange={(e) => set('label', e.currentTarget.value)}>
          <option value="">Any label</option>
          <For each={props.labels}>
            {(l) => (
              <option value={l.label}>
                {l.label} ({l.count})
              </option>
            )}
          </For>
        </select>
      </label>
      <label>
        Opt-in
        <select value={props.value.optIn} onChange={(e) => set('optIn', e.currentTarget.value as OptIn | '')}>
          <option value="">Any</option>
          <For each={optInStates}>{(state) => <option value={state}>{optInLabels[state]}</option>}</For>
        </select>
      </label>
      <label>
        Blocked
        <select
          value={props.value.blocked}
          onChange={(e) => set('blocked', e.currentTarget.value as PeopleFilterState['blocked'])}
        >
          <option value="">Either</option>
          <option value="no">Not blocked</option>
          <option value="yes">Blocked</option>
        </select>
      </label>
    </search>
  );
}
