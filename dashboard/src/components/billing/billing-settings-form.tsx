import { createEffect, createSignal, Show } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { fieldError, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Settings = Outputs['billing']['settings'];

/**
 * The low-balance alert's threshold (0 turns it off), whether to refuse sends that would go
 * below zero, and who to tell. Read-only without billing.manage.
 */
export function BillingSettingsForm(props: { settings: Settings; currency: string; onSaved: () => unknown }) {
  const [threshold, setThreshold] = createSignal('');
  const [refuse, setRefuse] = createSignal(false);
  const [contact, setContact] = createSignal('');
  createEffect(() => {
    setThreshold(props.settings.low_balance_threshold);
    setRefuse(props.settings.refuse_when_empty);
    setContact(props.settings.billing_contact ?? '');
  });
  const save = createAction(
    () =>
      trpc.billing.updateSettings.mutate({
        low_balance_threshold: threshold().trim(),
        refuse_when_empty: refuse(),
        billing_contact: contact().trim() || null,
      }),
    { success: 'Billing settings saved', after: () => props.onSaved() },
  );
  const readOnly = () => !session.can('billing.manage');
  return (
    <form
      class="card stack"
      aria-labelledby="billing-settings-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h2 id="billing-settings-title">Settings</h2>
      <div class="row">
        <TextField
          label={`Low-balance alert below (${props.currency})`}
          hint="(0 turns it off)"
          inputMode="decimal"
          disabled={readOnly()}
          value={threshold()}
          onInput={(e) => setThreshold(e.currentTarget.value)}
          error={fieldError(save.error(), 'low_balance_threshold')}
        />
        <TextField
          label="Billing contact"
          hint="(who to tell; webhooks get billing.low_balance)"
          maxLength={200}
          disabled={readOnly()}
          value={contact()}
          onInput={(e) => setContact(e.currentTarget.value)}
          error={fieldError(save.error(), 'billing_contact')}
        />
      </div>
      <label class="check">
        <input
          type="checkbox"
          disabled={readOnly()}
          checked={refuse()}
          onChange={(e) => setRefuse(e.currentTarget.checked)}
        />
        Refuse template sends that would take the amount available below zero
      </label>
      <FormError
        error={save.error()}
        shown={['low_balance_threshold', 'billing_contact', 'refuse_when_empty']}
      />
      <Show when={!readOnly()}>
        <div class="row">
          <button type="submit" disabled={save.pending()}>
            Save settings
          </button>
        </div>
      </Show>
    </form>
  );
}
