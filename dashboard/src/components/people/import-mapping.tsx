import { createSignal, For, Show } from 'solid-js';
import { DataTable } from '../../kit/data-table.js';
import { TextField } from '../../kit/fields.js';
import type { CustomField } from '../../lib/people.js';
import { CustomFieldForm } from './custom-field-form.js';

export type ImportMode = 'create' | 'update' | 'both';
export interface ImportSettings {
  mapping: Record<string, string | null>;
  mode: ImportMode;
  defaultCountry: string;
}

const builtIn: { key: string; label: string }[] = [
  { key: 'phone', label: 'Phone (or BSUID)' },
  { key: 'bsuid', label: 'WhatsApp BSUID (or phone)' },
  { key: 'username', label: 'WhatsApp username' },
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

/**
 * Step 2: each column to a field (the server's suggestions preselected), the mode, and the
 * default country. A column that fits no field can get a new custom field here, without
 * leaving the wizard: it is created, then chosen for the column.
 */
export function ImportMapping(props: {
  headers: readonly string[];
  fields: readonly CustomField[];
  value: ImportSettings;
  onChange: (next: ImportSettings) => void;
  onFieldCreated: (field: CustomField) => Promise<unknown>;
  canCreateFields: boolean;
}) {
  const [creating, setCreating] = createSignal<string>();
  const setColumn = (header: string, key: string) =>
    props.onChange({ ...props.value, mapping: { ...props.value.mapping, [header]: key || null } });
  const chosen = (header: string) => props.value.mapping[header] ?? '';
  return (
    <div class="stack">
      <DataTable<string>
        caption="Columns"
        what="columns"
        rows={props.headers}
        empty={{ message: 'The file has no columns.' }}
        detail={(header) =>
          creating() === header ? (
            <CustomFieldForm
              initialName={header}
              onCancel={() => setCreating(undefined)}
              onSaved={async (field) => {
                await props.onFieldCreated(field);
                setColumn(header, field.key);
                setCreating(undefined);
              }}
            />
          ) : undefined
        }
        columns={[
          { id: 'column', label: 'Column in the file', class: 'mono', cell: (header) => header },
          {
            id: 'field',
            label: 'Field',
            cell: (header) => (
              <div class="row">
                <select
                  aria-label={`Field for column ${header}`}
                  onChange={(e) => setColumn(header, e.currentTarget.value)}
                >
                  <option value="" selected={chosen(header) === ''}>
                    Skip this column
                  </option>
                  <optgroup label="Profile">
                    <For each={builtIn}>
                      {(f) => (
                        <option value={f.key} selected={chosen(header) === f.key}>
                          {f.label}
                        </option>
                      )}
                    </For>
                  </optgroup>
                  <optgroup label="Custom fields">
                    <For each={props.fields}>
                      {(f) => (
                        <option value={f.key} selected={chosen(header) === f.key}>
                          {f.name}
                        </option>
                      )}
                    </For>
                  </optgroup>
                </select>
                <Show when={props.canCreateFields && chosen(header) === '' && creating() !== header}>
                  <button type="button" class="secondary" onClick={() => setCreating(header)}>
                    New field for {header}
                  </button>
                </Show>
              </div>
            ),
          },
        ]}
      />
      <div class="row">
        <fieldset class="grow">
          <legend>Mode (matched by BSUID, then phone)</legend>
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
        <TextField
          label="Default country"
          hint="(for numbers without +code)"
          value={props.value.defaultCountry}
          maxLength={2}
          pattern="[A-Za-z]{2}"
          placeholder="ZA"
          onInput={(e) =>
            props.onChange({ ...props.value, defaultCountry: e.currentTarget.value.toUpperCase() })
          }
        />
      </div>
    </div>
  );
}
