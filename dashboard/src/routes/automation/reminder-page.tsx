import { A, useParams } from '@solidjs/router';
import { createResource, For, onCleanup, Show } from 'solid-js';
import { DeliveryChart } from '../../components/reminders/delivery-chart.js';
import { ReminderFigures } from '../../components/reminders/reminder-figures.js';
import { ReminderOutcomes } from '../../components/reminders/reminder-outcomes.js';
import { ReminderRuns } from '../../components/reminders/reminder-runs.js';
import { ReminderStateBadge } from '../../components/reminders/reminder-state.js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { Page } from '../../kit/page.js';
import { Loaded } from '../../kit/states.js';
import { billingBalance } from '../../lib/billing-balance.js';
import { formatTime } from '../../lib/format.js';
import { describeSchedule } from '../../lib/reminder-draft.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type ReminderView = Outputs['reminders']['get'];
type Action = 'schedule' | 'pause' | 'resume' | 'cancel';

const live = new Set(['scheduled', 'sending']);

/**
 * A reminder's page: its state and schedule, the progress bar and figures (read again every
 * five seconds while it is scheduled or sending), delivery over time, per-person outcomes, and
 * schedule / pause / resume / cancel for members who write reminders.
 */
export function ReminderPage() {
  const params = useParams();
  const [page, { refetch }] = createResource(
    () => params.id,
    (id) => trpc.reminders.get.query({ id }),
  );
  // Each refresh counts every recipient of the reminder (stats, runs, the chart): every 5 s
  // keeps the bar live without taking the cores a run of 100,000 people sends with.
  const timer = setInterval(() => {
    if (live.has(page.latest?.reminder.state ?? '') && !page.loading) void refetch();
  }, 5000);
  onCleanup(() => clearInterval(timer));
  const currency = () => billingBalance.balance.latest?.currency ?? 'USD';

  const act = createAction(
    (action: Action) => {
      const id = params.id!;
      switch (action) {
        case 'schedule':
          return trpc.reminders.schedule.mutate({ id });
        case 'pause':
          return trpc.reminders.pause.mutate({ id });
        case 'resume':
          return trpc.reminders.resume.mutate({ id });
        case 'cancel':
          return trpc.reminders.cancel.mutate({ id });
      }
    },
    {
      success: (r, action) =>
        ({
          schedule: `Reminder ${r.name} scheduled`,
          pause: `Reminder ${r.name} paused`,
          resume: `Reminder ${r.name} resumed`,
          cancel: `Reminder ${r.name} cancelled`,
        })[action],
      after: () => refetch(),
      errors: 'toast',
    },
  );
  const cancel = async (name: string) => {
    const ok = await confirmAction({
      title: `Cancel ${name}?`,
      message:
        'Nobody else gets it, now or at later runs; messages already sent still arrive. A cancelled reminder cannot be resumed.',
      confirmLabel: 'Cancel reminder',
      cancelLabel: 'Keep it',
      danger: true,
    });
    if (ok) await act.run('cancel');
  };
  const actions = (r: ReminderView['reminder']) => {
    if (!session.can('reminders.write')) return undefined;
    const buttons: { label: string; run: () => unknown; kind?: string }[] = [];
    if (r.state === 'draft')
      buttons.push({
        label: r.schedule.kind === 'now' ? 'Send now' : 'Schedule',
        run: () => act.run('schedule'),
      });
    if (r.state === 'scheduled' || r.state === 'sending')
      buttons.push({ label: 'Pause', run: () => act.run('pause'), kind: 'secondary' });
    if (r.state === 'paused') buttons.push({ label: 'Resume', run: () => act.run('resume') });
    if (r.state !== 'completed' && r.state !== 'cancelled')
      buttons.push({ label: 'Cancel reminder', run: () => cancel(r.name), kind: 'danger' });
    return (
      <For each={buttons}>
        {(b) => (
          <button type="button" class={b.kind} disabled={act.pending()} onClick={() => void b.run()}>
            {b.label}
          </button>
        )}
      </For>
    );
  };

  return (
    <Page
      title={page.latest?.reminder.name ?? 'Reminder'}
      breadcrumbs={[{ href: '/reminders', label: 'Reminders' }]}
      actions={page.latest ? actions(page.latest.reminder) : undefined}
    >
      <Loaded resource={page} what="the reminder" retry={refetch}>
        {(p) => (
          <div class="stack">
            <section class="card">
              <dl data-testid="reminder-summary">
                <dt>State</dt>
                <dd>
                  <ReminderStateBadge state={p().reminder.state} />
                  <Show when={p().reminder.paused_reason}>
                    {(why) => <span class="status-note"> {why()}</span>}
                  </Show>
                </dd>
                <dt>Template</dt>
                <dd>
                  {p().reminder.template.name} ({p().reminder.template.language},{' '}
                  {p().reminder.template.category})
                </dd>
                <dt>Audience</dt>
                <dd>
                  <Show
                    when={p().segment}
                    fallback={`A list of ${(p().reminder.audience as { contact_ids: string[] }).contact_ids.length.toLocaleString()} people`}
                  >
                    {(segment) => (
                      <A href={`/segments/${segment().id}`}>Segment {segment().name ?? segment().id}</A>
                    )}
                  </Show>
                </dd>
                <dt>When</dt>
                <dd>{describeSchedule(p().reminder.schedule)}</dd>
                <Show when={p().reminder.next_run_at}>
                  <dt>Next run</dt>
                  <dd>{formatTime(p().reminder.next_run_at)}</dd>
                </Show>
                <Show when={p().upcoming.length > 0}>
                  <dt>Then</dt>
                  <dd>
                    {p()
                      .upcoming.map((at) => formatTime(at))
                      .join(' · ')}
                  </dd>
                </Show>
                <dt>Created</dt>
                <dd>
                  {formatTime(p().reminder.created_at)} by {p().reminder.created_by}
                </dd>
              </dl>
            </section>
            <ReminderFigures stats={p().stats} currency={currency()} />
            <ReminderRuns runs={p().runs} currency={currency()} />
            <DeliveryChart timeline={p().timeline} />
            <ReminderOutcomes
              reminderId={p().reminder.id}
              version={[
                p().stats.targeted,
                p().stats.pending,
                p().stats.sent,
                p().stats.delivered,
                p().stats.read,
                p().stats.failed,
                p().stats.replied,
              ].join(':')}
            />
          </div>
        )}
      </Loaded>
    </Page>
  );
}
