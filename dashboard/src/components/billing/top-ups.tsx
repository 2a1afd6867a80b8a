import { createResource, createSignal, Show } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { fieldError, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { formatTime } from '../../lib/format.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type TopUp = Outputs['billing']['topUps'][number];

/**
 * Paid top-ups, newest first, and (billing.manage) the form that records one. The payment's
 * reference makes recording idempotent: the same reference and amount again changes nothing.
 */
export function TopUps(props: { currency: string; onRecorded: () => unknown }) {
  const [topUps, { refetch }] = createResource(() => trpc.billing.topUps.query());
  const [amount, setAmount] = createSignal('');
  const [reference, setReference] = createSignal('');
  const [note, setNote] = createSignal('');
  const record = createAction(
    () =>
      trpc.billing.recordTopUp.mutate({
        amount: amount().trim(),
        currency: props.currency,
        reference: reference().trim(),
        ...(note().trim() && { note: note().trim() }),
      }),
    {
      success: (t) => `Top-up of ${t.amount} ${t.currency} recorded`,
      after: async () => {
        setAmount('');
        setReference('');
        setNote('');
        await Promise.all([refetch(), props.onRecorded()]);
      },
    },
  );
  return (
    <section class="card stack" aria-labelledby="top-ups-title">
      <h2 id="top-ups-title">Top-ups</h2>
      <Show when={session.can('billing.manage')}>
        <form
          class="stack"
          aria-label="Record a top-up"
          onSubmit={(e) => {
            e.preventDefault();
            void record.run();
          }}
        >
          <div class="row">
            <TextField
              label={`Amount (${props.currency})`}
              required
              inputMode="decimal"
              placeholder="100.00"
              value={amount()}
              onInput={(e) => setAmount(e.currentTarget.value)}
              error={fieldError(record.error(), 'amount')}
            />
            <TextField
              label="Payment reference"
              hint="(invoice or transfer)"
              required
              maxLength={200}
              value={reference()}
              onInput={(e) => setReference(e.currentTarget.value)}
              error={fieldError(record.error(), 'reference')}
            />
            <TextField
              label="Note"
              hint="(optional)"
              maxLength={500}
              value={note()}
              onInput={(e) => setNote(e.currentTarget.value)}
              error={fieldError(record.error(), 'note')}
            />
          </div>
          <FormError error={record.error()} shown={['amount', 'reference', 'note', 'currency']} />
          <div class="row">
            <button type="submit" disabled={record.pending()}>
              Record top-up
            </button>
          </div>
        </form>
      </Show>
      <DataTable<TopUp>
        caption="Top-ups"
        captionHidden
        what="top-ups"
        rows={topUps.latest}
        error={topUps.error}
        retry={refetch}
        empty={{ message: 'No top-ups yet: record a payment to make funds available.' }}
        columns={[
          { id: 'at', label: 'Recorded', cell: (t) => formatTime(t.recorded_at) },
          { id: 'amount', label: 'Amount', class: 'num', cell: (t) => `${t.amount} ${t.currency}` },
          { id: 'reference', label: 'Reference', cell: (t) => t.reference },
          { id: 'note', label: 'Note', cell: (t) => t.note ?? '' },
          { id: 'by', label: 'By', cell: (t) => t.recorded_by },
        ]}
      />
    </section>
  );
}
