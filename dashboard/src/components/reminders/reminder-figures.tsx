import { For, Show } from 'solid-js';
import type { Outputs } from '../../lib/trpc.js';
import { skipReason } from './skip-reasons.js';

type Stats = Outputs['reminders']['get']['stats'];

/** Meta's error codes a reminder meets most, in words (others show their code). */
const errorNames: Record<string, string> = {
  '130429': 'Rate limit hit',
  '131026': 'Not deliverable (not on WhatsApp, or an old app)',
  '131049': 'Meta’s per-person marketing limit',
  '131047': 'Outside the customer-service window',
  '131050': 'Person stopped marketing messages',
  '0': 'Unknown error',
};

/**
 * A reminder's progress and figures over all its runs: a bar of the people done (queued,
 * skipped or failed) out of those targeted, then each count, why people were skipped and
 * which errors failed them.
 */
export function ReminderFigures(props: { stats: Stats; currency: string }) {
  const s = () => props.stats;
  const done = () => s().targeted - s().pending;
  const figures = () =>
    [
      ['Targeted', s().targeted],
      ['Skipped', s().skipped],
      ['Sent', s().sent],
      ['Delivered', s().delivered],
      ['Read', s().read],
      ['Failed', s().failed],
      ['Replied', s().replied],
      ['Journeys started', s().journey_started],
    ] as const;
  return (
    <section class="card stack" aria-labelledby="figures-title">
      <h2 id="figures-title">Progress</h2>
      <Show when={s().targeted > 0} fallback={<p class="state">Nobody has been targeted yet.</p>}>
        <label>
          <span data-testid="progress-text">
            {done().toLocaleString()} of {s().targeted.toLocaleString()} people done
          </span>
          <progress max={s().targeted} value={done()} />
        </label>
      </Show>
      <dl class="figures" data-testid="reminder-figures">
        <For each={figures()}>
          {([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value.toLocaleString()}</dd>
            </>
          )}
        </For>
        <dt>Cost</dt>
        <dd>
          {s().cost} {props.currency}
        </dd>
      </dl>
      <div class="billing-tables">
        <CountTable
          label="Skipped by reason"
          what="Skipped because"
          counts={s().skipped_by_reason}
          name={skipReason}
        />
        <CountTable
          label="Failed by error"
          what="Error"
          counts={s().failed_by_code}
          name={(code) => `${code}${errorNames[code] ? ` · ${errorNames[code]}` : ''}`}
        />
      </div>
    </section>
  );
}

/** People counted by one key (a reason, an error code), nothing when nobody was. */
function CountTable(props: {
  label: string;
  what: string;
  counts: Record<string, number>;
  name: (key: string) => string;
}) {
  return (
    <Show when={Object.keys(props.counts).length > 0}>
      <table class="table-wrap" aria-label={props.label}>
        <thead>
          <tr>
            <th scope="col">{props.what}</th>
            <th scope="col">People</th>
          </tr>
        </thead>
        <tbody>
          <For each={Object.entries(props.counts)}>
            {([key, n]) => (
              <tr>
                <td>{props.name(key)}</td>
                <td>{n.toLocaleString()}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
