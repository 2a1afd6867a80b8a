import { createResource, For, Show } from 'solid-js';
import type { ReminderInput } from '../../../../engine/reminders/reminder.schema.js';
import { DataTable } from '../../kit/data-table.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import { describeSchedule } from '../../lib/reminder-draft.js';
import { type Outputs, trpc } from '../../lib/trpc.js';
import { TemplateBubble } from '../templates/template-bubble.js';
import { skipReason } from './skip-reasons.js';

type Market = Outputs['reminders']['estimate']['cost_by_market'][number];

/**
 * Step 5: what will happen, counted now by the server with the rules a run applies: who it
 * reaches, who is skipped and why, and what it costs by market at the rate card in force,
 * against the amount available. A template delivered inside an open conversation window is
 * free, so the cost is an upper bound.
 */
export function ReviewStep(props: {
  input: ReminderInput;
  templateLabel: string;
  audienceLabel: string;
  preview: {
    id: string;
    values: { header: Record<string, string>; body: Record<string, string>; buttons: Record<string, string> };
  };
}) {
  const [estimate, { refetch }] = createResource(
    () => props.input,
    (input) => trpc.reminders.estimate.query(input),
  );
  const [rendered] = createResource(
    () => props.preview,
    (preview) => trpc.templates.preview.query(preview),
  );
  return (
    <div class="template-editor">
      <div class="stack">
        <dl>
          <dt>Name</dt>
          <dd>{props.input.name || '—'}</dd>
          <dt>Template</dt>
          <dd>{props.templateLabel}</dd>
          <dt>Audience</dt>
          <dd>{props.audienceLabel}</dd>
          <dt>When</dt>
          <dd>{describeSchedule(props.input.schedule)}</dd>
        </dl>
        <Show when={!estimate.error} fallback={<ErrorNote error={estimate.error} retry={refetch} />}>
          <Show when={estimate.latest} fallback={<Loading what="the estimate" />}>
            {(e) => (
              <section class="stack" aria-labelledby="estimate-title" data-testid="estimate">
                <h2 id="estimate-title">Estimate</h2>
                <dl data-testid="estimate-figures">
                  <dt>People in the audience now</dt>
                  <dd>{e().targeted.toLocaleString()}</dd>
                  <dt>Will get the message</dt>
                  <dd>{e().reach.toLocaleString()}</dd>
                  <For each={Object.entries(e().skipped)}>
                    {([reason, n]) => (
                      <>
                        <dt>Skipped: {skipReason(reason)}</dt>
                        <dd>{n.toLocaleString()}</dd>
                      </>
                    )}
                  </For>
                  <dt>Cost at most</dt>
                  <dd>
                    {e().total} {e().currency}
                  </dd>
                  <dt>Amount available</dt>
                  <dd>
                    {e().available} {e().currency}
                  </dd>
                </dl>
                <Show when={!e().enough}>
                  <p class="error" role="alert">
                    The amount available does not cover this reminder: record a top-up under Billing, or some
                    people may not get it.
                  </p>
                </Show>
                <DataTable<Market>
                  caption="Cost by market"
                  what="markets"
                  rows={e().cost_by_market}
                  empty={{ message: 'Nobody to send to.' }}
                  columns={[
                    { id: 'market', label: 'Market', cell: (m) => `${m.market} (+${m.calling_code})` },
                    { id: 'category', label: 'Category', cell: (m) => m.category },
                    { id: 'people', label: 'People', cell: (m) => m.people.toLocaleString() },
                    { id: 'cost', label: `Cost (${e().currency})`, cell: (m) => m.cost },
                  ]}
                />
              </section>
            )}
          </Show>
        </Show>
      </div>
      <aside class="template-side" aria-label="Preview">
        <Show when={rendered.latest}>
          {(r) => <TemplateBubble rendered={r()} note="values from each profile in ‹ ›, with the fallback" />}
        </Show>
        <ErrorNote error={rendered.error} />
      </aside>
    </div>
  );
}
