import { For } from 'solid-js';
import type { CustomField } from '../../lib/people.js';

export type ImportMode = 'create' | 'update' | 'both';
export interface ImportSettings {
  mapping: Record<string, string | null>;
  mode: ImportMode;
  defaultCountry: string;
}

const builtIn: { key: string; label: string }[] = [
  { key: 'phone', label: 'Phone (required)' },
  { key: 'name', label: 'Name' },
  { key: 'language', label: 'Language' },
  { key: 'timezone', label: 'Timezone' },
  { key: 'opt_in', label: 'Opt-in' },
  { key: 'labels', label: 'Labels (; separated)' },
];

const modes: { value: ImportMode; label: string }[] = [
  { value: 'both', label: 'Create new people and update existing ones' },
  { value: 'create', label: 'Only create new people' },
  { value: 'update', label: 'Only update existing people' },
];

/** Step 2: each column to a field (the server's suggestions preselected), the mode, and the default country. */
export function ImportMapping(props: {
  headers: readonly string[];
  fields: readonly CustomField[];
  value: ImportSettings;
  onChange: (next: ImportSettings) => void;
}) {
  const setColumn = (header: string, key: string) =>
    props.onChange({ ...props.value, mapping: { ...props.value.mapping, [header]: key || null } });
  return (
    <div class="stack">
      <div class="table-wrap">
        <table>
          <caption>Columns</caption>
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Field</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.headers}>
              {(header) => (
                <tr>
                  <th scope="row" class="mono">
                    {header}
                  </th>
                  <td>
                    <select
                      aria-label={`Field for column ${header}`}
                      value={props.value.mapping[header] ?? ''}
                      onChange={(e) => setColumn(header, e.currentTarget.value)}
                    >
                      <option value="">Skip this column</option>
                      <optgroup label="Profile">
                        <For each={builtIn}>{(f) => <option value={f.key}>{f.label}</option>}</For>
                      </optgroup>
                      <optgroup label="Custom fields">
                        <For each={props.fields}>{(f) => <option value={f.key}>{f.name}</option>}</For>
                      </optgroup>
                    </select>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <div class="row">
        <fieldset class="grow">
          <legend>Mode (matched by phone)</legend>
          <For each={modes}>
            {(m) => (
              <label class="check">
                <input
                  type="radio"
                  name="mode"
                  value={m.value}
                  checked={props.value.mode === m.value}
                  onChange={() => props.onChange({ ...props.value, mode: m.value })}
                />
                {m.label}
              </label>
            )}
          </For>
        </fieldset>
        <label>
          <span>
            Default country <span class="hint">(for numbers without +code)</span>
          </span>
          <input
            value={props.value.defaultCountry}
            maxLength={2}
            pattern="[A-Za-z]{2}"
            placeholder="ZA"
            onInput={(e) =>
              props.onChange({ ...props.value, defaultCountry: e.currentTarget.value.toUpperCase() })
            }
          />
        </label>
      </div>
    </div>
  );
}
