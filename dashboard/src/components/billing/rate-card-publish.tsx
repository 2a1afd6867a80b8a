import { createSignal, createUniqueId } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { Field, fieldError, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { formatTime } from '../../lib/format.js';
import { rateCardCsv } from '../../lib/rate-card-csv.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type RateCards = Outputs['billing']['rateCard'];
type Version = RateCards['versions'][number];

/** A datetime-local value for now, in the browser's timezone (the input has no zone). */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * Publishing a rate card (billing.manage): the CSV of prices per market and category, the
 * moment it takes effect and where the prices come from. Charges already made keep the card
 * that was in force when their message was delivered; the versions below say which was when.
 */
export function RateCardPublish(props: { cards: RateCards; onPublished: () => unknown }) {
  const [csv, setCsv] = createSignal('');
  const [effectiveFrom, setEffectiveFrom] = createSignal(localNow());
  const [source, setSource] = createSignal('');
  const currency = () => props.cards.current?.currency ?? 'USD';
  const publish = createAction(
    () => {
      const at = new Date(effectiveFrom());
      return trpc.billing.publishRateCard.mutate({
        csv: csv(),
        effective_from: Number.isNaN(at.getTime()) ? effectiveFrom() : at.toISOString(),
        currency: currency(),
        source: source().trim(),
      });
    },
    {
      success: 'Rate card published',
      after: async () => {
        setCsv('');
        setSource('');
        await props.onPublished();
      },
    },
  );
  const download = () => {
    const rates = props.cards.current?.rates ?? [];
    const url = URL.createObjectURL(new Blob([rateCardCsv(rates)], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'rate-card.csv';
    link.click();
    URL.revokeObjectURL(url);
  };
  const csvId = createUniqueId();
  return (
    <section class="card stack" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish a rate card</h2>
      <p class="hint">
        Start from the card in force:{' '}
        <button type="button" class="link" onClick={download}>
          download it as CSV
        </button>
        , change the prices ({currency()} per delivered message; an empty cell is no price), and publish it
        from a date. An “*” line prices every market without its own line.
      </p>
      <form
        class="stack"
        aria-label="Publish a rate card"
        onSubmit={(e) => {
          e.preventDefault();
          void publish.run();
        }}
      >
        <label>
          <span>CSV file</span>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (file) setCsv(await file.text());
            }}
          />
        </label>
        <Field
          id={csvId}
          label="Rates"
          hint="(or paste the CSV here)"
          error={fieldError(publish.error(), 'csv')}
        >
          <textarea
            id={csvId}
            rows={6}
            class="mono"
            value={csv()}
            onInput={(e) => setCsv(e.currentTarget.value)}
          />
        </Field>
        <div class="row">
          <TextField
            label="In force from"
            type="datetime-local"
            required
            value={effectiveFrom()}
            onInput={(e) => setEffectiveFrom(e.currentTarget.value)}
            error={fieldError(publish.error(), 'effective_from')}
          />
          <TextField
            label="Source"
            hint="(e.g. Meta's rate card of January 2027)"
            required
            maxLength={200}
            value={source()}
            onInput={(e) => setSource(e.currentTarget.value)}
            error={fieldError(publish.error(), 'source')}
          />
        </div>
        <FormError error={publish.error()} shown={['csv', 'effective_from', 'source']} />
        <div class="row">
          <button type="submit" disabled={publish.pending() || csv().trim() === ''}>
            Publish rate card
          </button>
        </div>
      </form>
      <DataTable<Version>
        caption="Rate card versions"
        what="versions"
        rows={props.cards.versions}
        empty={{ message: 'No rate card yet.' }}
        columns={[
          { id: 'from', label: 'In force from', cell: (v) => formatTime(v.effective_from) },
          { id: 'currency', label: 'Currency', cell: (v) => v.currency },
          { id: 'source', label: 'Source', cell: (v) => v.source },
          { id: 'by', label: 'Published by', cell: (v) => v.created_by },
        ]}
      />
    </section>
  );
}
