import { A } from '@solidjs/router';
import { createResource, onCleanup } from 'solid-js';
import { ReminderStateBadge } from '../../components/reminders/reminder-state.js';
import { DataTable } from '../../kit/data-table.js';
import { Page } from '../../kit/page.js';
import { formatTime } from '../../lib/format.js';
import { describeSchedule } from '../../lib/reminder-draft.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Reminder = Outputs['reminders']['list'][number];

/** Reminders: every reminder, newest first, with its state, schedule and how far it got (kept current while any sends). */
export function RemindersPage() {
  const [reminders, { refetch }] = createResource(() => trpc.reminders.list.query());
  // While one is sending (or about to), its counts move: read the list again every 5 s.
  const timer = setInterval(() => {
    const busy = reminders.latest?.some((r) => r.state === 'sending' || r.state === 'scheduled');
    if (busy && !reminders.loading) void refetch();
  }, 5000);
  onCleanup(() => clearInterval(timer));
  const newReminder = (label: string) => (
    <A class="button" href="/reminders/new">
      {label}
    </A>
  );
  const canWrite = () => session.can('reminders.write');
  return (
    <Page
      title="Reminders"
      description="An approved template sent to a segment or a list: now, later, on a schedule, or at each person's local time."
      actions={canWrite() ? newReminder('New reminder') : undefined}
    >
      <DataTable<Reminder>
        caption="Reminders"
        captionHidden
        what="reminders"
        rows={reminders.latest}
        error={reminders.error}
        retry={refetch}
        empty={{
          message: 'No reminders yet. A reminder sends an approved template to many people at once.',
          action: canWrite() ? newReminder('Create the first reminder') : undefined,
        }}
        columns={[
          {
            id: 'name',
            label: 'Name',
            sort: (a, b) => a.name.localeCompare(b.name),
            cell: (r) => <A href={`/reminders/${r.id}`}>{r.name}</A>,
          },
          { id: 'state', label: 'State', cell: (r) => <ReminderStateBadge state={r.state} /> },
          { id: 'template', label: 'Template', cell: (r) => r.template.name },
          { id: 'schedule', label: 'When', cell: (r) => describeSchedule(r.schedule) },
          { id: 'next', label: 'Next run', cell: (r) => formatTime(r.next_run_at) },
          {
            id: 'progress',
            label: 'Sent / targeted',
            cell: (r) => `${r.counts.queued.toLocaleString()} / ${r.counts.targeted.toLocaleString()}`,
          },
          { id: 'delivered', label: 'Delivered', cell: (r) => r.counts.delivered.toLocaleString() },
        ]}
      />
    </Page>
  );
}
