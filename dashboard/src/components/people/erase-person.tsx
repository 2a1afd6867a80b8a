import { createSignal, Show } from 'solid-js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { ErrorNote } from '../../kit/states.js';
import { trpc } from '../../lib/trpc.js';

/**
 * The data-protection erasure of a person (people.erase, Admin only). It cannot be undone, so
 * the member types a reason (a ticket number, never personal data) and confirms.
 */
export function ErasePerson(props: { personId: string; onErased: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const action = createAction(
    () => trpc.people.erase.mutate({ id: props.personId, reason: reason().trim() || undefined }),
    {
      success: 'Personal data erased',
      after: () => {
        setOpen(false);
        props.onErased();
      },
    },
  );
  const erase = async (event: Event) => {
    event.preventDefault();
    const ok = await confirmAction({
      title: 'Erase this person?',
      message: 'Their phone, name, fields and message texts are removed everywhere. This cannot be undone.',
      confirmLabel: 'Erase',
      danger: true,
    });
    if (ok) await action.run();
  };
  return (
    <section class="card" aria-labelledby="erase-title">
      <h2 id="erase-title">Erase personal data</h2>
      <Show
        when={open()}
        fallback={
          <button type="button" class="danger" onClick={() => setOpen(true)}>
            Erase this person…
          </button>
        }
      >
        <form onSubmit={erase} class="stack">
          <label>
            Reason (a request or ticket number; no personal data)
            <input value={reason()} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <div class="row">
            <button type="submit" class="danger" disabled={action.pending()}>
              Erase now
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <ErrorNote error={action.error()} />
    </section>
  );
}
