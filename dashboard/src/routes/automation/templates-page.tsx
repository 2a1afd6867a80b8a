import { A } from '@solidjs/router';
import { createResource } from 'solid-js';
import { TemplateStatus } from '../../components/templates/template-status.js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { Page } from '../../kit/page.js';
import { formatTime } from '../../lib/format.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Template = Outputs['templates']['list'][number];

/** Templates: the WhatsApp message templates of the business account, with Meta's review status. */
export function TemplatesPage() {
  const [templates, { refetch }] = createResource(() => trpc.templates.list.query());
  const canWrite = () => session.can('reminders.write');
  const remove = createAction((t: Template) => trpc.templates.delete.mutate({ id: t.id }), {
    success: (_, t) => `Template ${t.name} deleted`,
    after: () => refetch(),
    errors: 'toast',
  });
  const askRemove = async (t: Template) => {
    const ok = await confirmAction({
      title: `Delete ${t.name} (${t.language})?`,
      message:
        'Meta deletes this language of the template; messages already sent stay delivered. The name cannot be used again for 30 days.',
      confirmLabel: 'Delete template',
      danger: true,
    });
    if (ok) await remove.run(t);
  };
  const newTemplate = (label: string) => (
    <A class="button" href="/templates/new">
      {label}
    </A>
  );
  return (
    <Page
      title="Templates"
      description="Messages Meta reviews before they can start a conversation outside the 24-hour window."
      actions={canWrite() ? newTemplate('New template') : undefined}
    >
      <DataTable<Template>
        caption="Templates"
        captionHidden
        what="templates"
        rows={templates.latest}
        error={templates.error}
        retry={refetch}
        empty={{
          message: 'No templates yet. Reminders and journeys send templates to start conversations.',
          action: canWrite() ? newTemplate('Create the first template') : undefined,
        }}
        columns={[
          {
            id: 'name',
            label: 'Name',
            sort: (a, b) => a.name.localeCompare(b.name),
            cell: (t) => <A href={`/templates/${t.id}`}>{t.name}</A>,
          },
          { id: 'language', label: 'Language', cell: (t) => t.language },
          { id: 'category', label: 'Category', cell: (t) => t.category },
          {
            id: 'status',
            label: 'Status',
            sort: (a, b) => a.status.localeCompare(b.status),
            cell: (t) => <TemplateStatus template={t} />,
          },
          { id: 'updated', label: 'Updated', cell: (t) => formatTime(t.updatedAt) },
          {
            id: 'actions',
            label: 'Actions',
            cell: (t) =>
              canWrite() ? (
                <button type="button" class="danger" onClick={() => void askRemove(t)}>
                  Delete
                </button>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}
