import { createResource, createSignal, For, Show } from 'solid-js';
import { CustomFieldForm } from '../components/people/custom-field-form.js';
import { ErrorNote, ListState } from '../components/states.js';
import { fieldTypeLabels } from '../lib/people.js';
import { trpc } from '../lib/trpc.js';

/** Settings → Custom fields: typed fields on every person; deleting one in use is refused with its users. */
export function CustomFieldsPage() {
  const [fields, { refetch }] = createResource(() => trpc.customFields.list.query());
  const [editing, setEditing] = createSignal<string>();
  const [error, setError] = createSignal<unknown>();
  const remove = async (id: string, name: string) => {
    if (!confirm(`Delete the field "${name}"? Its values on every person are removed.`)) return;
    setError(undefined);
    try {
      await trpc.customFields.delete.mutate({ id });
      await refetch();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section class="page" aria-labelledby="fields-page-title">
      <header class="page-head">
        <h1 id="fields-page-title">Custom fields</h1>
        <p class="hint">
          Typed values on every person, usable in segments as <code>custom_fields-&gt;&gt;'key'</code>.
        </p>
      </header>
      <CustomFieldForm onSaved={() => void refetch()} />
      <ErrorNote error={error()} />
      <ListState resource={fields} what="custom fields" empty="No custom fields yet." retry={refetch}>
        {(list) => (
          <div class="table-wrap">
            <table>
              <caption>Fields</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Type</th>
                  <th scope="col">Used by</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(f) => (
                    <>
                      <tr>
                        <td>
                          {f.name}
                          <Show when={f.description}>
                            <br />
                            <span class="hint">{f.description}</span>
                          </Show>
                        </td>
                        <td class="mono">{f.key}</td>
                        <td>
                          {fieldTypeLabels[f.type]}
                          <Show when={f.type === 'choice'}>
                            <br />
                            <span class="hint">{f.options.map((o) => o.label).join(', ')}</span>
                          </Show>
                        </td>
                        <td>
                          {f.usedBy.length === 0
                            ? '—'
                            : f.usedBy.map((u) => `${u.kind} ${u.name}`).join(', ')}
                        </td>
                        <td class="nowrap">
                          <button
                            type="button"
                            class="secondary"
                            aria-expanded={editing() === f.id}
                            onClick={() => setEditing(editing() === f.id ? undefined : f.id)}
                          >
                            Edit
                          </button>{' '}
                          <button type="button" class="danger" onClick={() => remove(f.id, f.name)}>
                            Delete
                          </button>
                        </td>
                      </tr>
                      <Show when={editing() === f.id}>
                        <tr>
                          <td colSpan={5}>
                            <CustomFieldForm
                              field={f}
                              onCancel={() => setEditing(undefined)}
                              onSaved={() => {
                                setEditing(undefined);
                                void refetch();
                              }}
                            />
                          </td>
                        </tr>
                      </Show>
                    </>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ListState>
    </section>
  );
}
