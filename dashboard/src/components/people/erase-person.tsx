import { createSignal, Show } from 'solid-js';
import { ErrorNote } from '../../kit/states.js';
import { trpc } from '../../lib/trpc.js';

/**
 * The data-protection erasure of a person (people.erase, Admin only). It cannot be undone, so
 * the member types a reason (a ticket number, never personal data) and confirms.
 */
export function ErasePerson(props: { personId: string; onErased: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const erase = async (event: Event) => {
    event.preventDefault();
    if (
      !confirm(
        'Erase this person? Their phone, name, fields and message texts are removed everywhere. This cannot be undone.',
      )
    )
      return;
    setBusy(true);
    setError(undefined);
    try {
      await trpc.people.erase.mutate({ id: props.personId, reason: reason().trim() || undefined });
      setOpen(false);
      props.onErased();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
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
            <button type="submit" class="danger" disabled={busy()}>
              Erase now
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <ErrorNote error={error()} />
    </section>
  );
}
