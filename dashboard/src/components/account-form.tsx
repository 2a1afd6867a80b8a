import { createSignal, Show } from 'solid-js';
import { ErrorNote } from '../kit/states.js';

export interface AccountInput {
  email: string;
  name: string;
  password: string;
}

/** Name, email and a new password: the first admin's setup and accepting an invite share it. */
export function AccountForm(props: {
  submitLabel: string;
  fixedEmail?: string | null;
  onSubmit: (input: AccountInput) => Promise<unknown>;
}) {
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit({
        email: props.fixedEmail ?? String(form.get('email') ?? ''),
        name: String(form.get('name') ?? ''),
        password: String(form.get('password') ?? ''),
      });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit}>
      <label>
        Your name
        <input name="name" autocomplete="name" required maxLength={200} />
      </label>
      <Show
        when={props.fixedEmail}
        fallback={
          <label>
            Email
            <input name="email" type="email" autocomplete="email" required />
          </label>
        }
      >
        <p>
          Email: <strong>{props.fixedEmail}</strong>
        </p>
      </Show>
      <label>
        <span>
          Password <span class="hint">(at least 10 characters)</span>
        </span>
        <input name="password" type="password" autocomplete="new-password" required minLength={10} />
      </label>
      <ErrorNote error={error()} />
      <button type="submit" disabled={busy()}>
        {busy() ? 'Working…' : props.submitLabel}
      </button>
    </form>
  );
}
