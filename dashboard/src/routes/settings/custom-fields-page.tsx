import { createResource, createSignal, Show } from 'solid-js';
import { CustomFieldForm } from '../../components/people/custom-field-form.js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { Page } from '../../kit/page.js';
import { type CustomField, fieldTypeLabels } from '../../lib/people.js';
import { trpc } from '../../lib/trpc.js';

type Listed = CustomField;

/** Settings → Custom fields: typed fields on every person; deleting one in use is refused with its users. */
export function CustomFieldsPage() {
  const [fields, { refetch }] = createResource(() => trpc.customFields.list.query());
  const [editing, setEditing] = createSignal<string>();
  const remove = createAction((f: Listed) => trpc.customFields.delete.mutate({ id: f.id }), {
    success: (_, f) => `Field ${f.name} deleted`,
    after: () => refetch(),
    errors: 'toast',
  });
  const askRemove = async (f: Listed) => {
    const ok = await confirmAction({
      title: `Delete the field "${f.name}"?`,
      message: 'Its values on every person are removed.',
      confirmLabel: 'Delete field',
      danger: true,
    });
    if (ok) await remove.run(f);
  };
  return (
    <Page
      title="Custom fields"
      description={
        <>
          Typed values on every person, usable in segments as <code>custom_fields-&gt;&gt;'key'</code>.
        </>
      }
    >
      <CustomFieldForm onSaved={() => void refetch()} />
      <DataTable<Listed>
        caption="Fields"
        what="custom fields"
        rows={fields.latest}
        error={fields.error}
        retry={refetch}
        empty={{ message: 'No custom fields yet. Create one above, or from the import wizard.' }}
        detail={(f) =>
          editing() === f.id ? (
            <CustomFieldForm
              field={f}
              onCancel={() => setEditing(undefined)}
              onSaved={() => {
                setEditing(undefined);
                void refetch();
              }}
            />
          ) : undefined
        }
        columns={[
          {
            id: 'name',
            label: 'Name',
            sort: (a, b) => a.name.localeCompare(b.name),
            cell: (f) => (
              <>
                {f.name}
                <Show when={f.description}>
                  <br />
                  <span class="hint">{f.description}</span>
                </Show>
              </>
            ),
          },
          { id: 'key', label: 'Key', class: 'mono', cell: (f) => f.key },
          {
            id: 'type',
            label: 'Type',
            cell: (f) => (
              <>
                {fieldTypeLabels[f.type]}
                <Show when={f.type === 'choice'}>
                  <br />
                  <span class="hint">{f.options.map((o) => o.label).join(', ')}</span>
                </Show>
              </>
            ),
          },
          {
            id: 'used',
            label: 'Used by',
            cell: (f) =>
              f.usedBy.length === 0 ? '—' : f.usedBy.map((u) => `${u.kind} ${u.name}`).join(', '),
          },
          {
            id: 'actions',
            label: 'Actions',
            class: 'nowrap',
            cell: (f) => (
              <>
                <button
                  type="button"
                  class="secondary"
                  aria-expanded={editing() === f.id}
                  onClick={() => setEditing(editing() === f.id ? undefined : f.id)}
                >
                  Edit
                </button>{' '}
                <button type="button" class="danger" onClick={() => void askRemove(f)}>
                  Delete
                </button>
              </>
            ),
          },
        ]}
      />
    </Page>
  );
}
