import { A } from '@solidjs/router';
import { createEffect, createSignal, on } from 'solid-js';
import { DataTable } from '../../kit/data-table.js';
import { formatTime } from '../../lib/format.js';
import { type Outputs, trpc } from '../../lib/trpc.js';
import { skipReason } from './skip-reasons.js';

type Outcome = Outputs['reminders']['recipients']['data'][number];

/** What happened for one person: skipped and why, failed and the error, or how far the message got. */
function outcomeOf(o: Outcome): string {
  if (o.state === 'skipped') return `Skipped: ${skipReason(o.skip_reason ?? '')}`;
  if (o.state === 'failed') return `Failed (${o.error_code ?? 'no code'})`;
  if (o.state === 'pending') return 'Waiting';
  if (o.replied_at) return 'Replied';
  if (o.message_status === 'failed') return `Failed (${o.error_code ?? 'no code'})`;
  return o.message_status ? o.message_status[0]!.toUpperCase() + o.message_status.slice(1) : 'Queued';
}

/**
 * Per-person outcomes, by person, a page of 200 at a time as the table nears its end. People
 * appear by their id, linked to their page (which shows their details to those allowed).
 * `version` changes when the reminder's figures do (while it sends): the first page is read again.
 */
export function ReminderOutcomes(props: { reminderId: string; version: string }) {
  const [rows, setRows] = createSignal<Outcome[]>();
  const [error, setError] = createSignal<unknown>();
  const [next, setNext] = createSignal<string | null>(null);
  let loading = false;
  const load = async (reset: boolean) => {
    if (loading) return;
    loading = true;
    try {
      const page = await trpc.reminders.recipients.query({
        id: props.reminderId,
        ...(reset || !next() ? {} : { after: next()! }),
        limit: 200,
      });
      setRows(reset ? page.data : [...(rows() ?? []), ...page.data]);
      setNext(page.next_after);
      setError(undefined);
    } catch (caught) {
      setError(caught);
    } finally {
      loading = false;
    }
  };
  createEffect(
    on(
      () => [props.reminderId, props.version],
      () => void load(true),
    ),
  );
  return (
    <section class="stack" aria-labelledby="outcomes-title">
      <div class="row">
        <h2 id="outcomes-title" class="grow">
          People
        </h2>
        <button type="button" class="secondary" onClick={() => void load(true)}>
          Refresh
        </button>
      </div>
      <DataTable<Outcome>
        caption="Outcomes per person"
        captionHidden
        what="people"
        rows={rows()}
        error={error()}
        retry={() => void load(true)}
        onNearEnd={next() ? () => void load(false) : undefined}
        empty={{ message: 'Nobody yet: people are listed once a run starts.' }}
        columns={[
          {
            id: 'person',
            label: 'Person',
            cell: (o) => <A href={`/people/${o.contact_id}`}>Person {o.contact_id}</A>,
          },
          { id: 'outcome', label: 'Outcome', cell: outcomeOf },
          { id: 'due', label: 'Due', cell: (o) => formatTime(o.due_at) },
          { id: 'delivered', label: 'Delivered', cell: (o) => formatTime(o.delivered_at) },
          { id: 'read', label: 'Read', cell: (o) => formatTime(o.read_at) },
          { id: 'replied', label: 'Replied', cell: (o) => formatTime(o.replied_at) },
        ]}
      />
    </section>
  );
}
