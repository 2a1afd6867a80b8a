import { Show } from 'solid-js';
import { DataTable } from '../../kit/data-table.js';
import { formatTime } from '../../lib/format.js';
import type { Outputs } from '../../lib/trpc.js';

type Run = Outputs['reminders']['get']['runs'][number];

/** Each run (one per occurrence of a recurring reminder) with its own counts, newest first. */
export function ReminderRuns(props: { runs: readonly Run[]; currency: string }) {
  return (
    <Show when={props.runs.length > 0}>
      <section class="stack" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <DataTable<Run>
          caption="Runs"
          captionHidden
          what="runs"
          rows={props.runs}
          empty={{ message: 'No run yet.' }}
          columns={[
            { id: 'due', label: 'Due', cell: (r) => formatTime(r.due_at) },
            {
              id: 'state',
              label: 'State',
              cell: (r) => (r.paused_reason ? `${r.state}: ${r.paused_reason}` : r.state),
            },
            { id: 'targeted', label: 'Targeted', class: 'num', cell: (r) => r.targeted.toLocaleString() },
            { id: 'skipped', label: 'Skipped', class: 'num', cell: (r) => r.skipped.toLocaleString() },
            { id: 'sent', label: 'Sent', class: 'num', cell: (r) => r.sent.toLocaleString() },
            { id: 'delivered', label: 'Delivered', class: 'num', cell: (r) => r.delivered.toLocaleString() },
            { id: 'read', label: 'Read', class: 'num', cell: (r) => r.read.toLocaleString() },
            { id: 'failed', label: 'Failed', class: 'num', cell: (r) => r.failed.toLocaleString() },
            { id: 'replied', label: 'Replied', class: 'num', cell: (r) => r.replied.toLocaleString() },
            { id: 'cost', label: `Cost (${props.currency})`, class: 'num', cell: (r) => r.cost },
          ]}
        />
      </section>
    </Show>
  );
}
