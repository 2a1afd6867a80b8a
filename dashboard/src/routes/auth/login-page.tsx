import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { AuthCard } from '../../components/auth-card.js';
import { ErrorNote } from '../../kit/states.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/** Email and password sign-in; a fresh deployment without members points to its setup link. */
export function LoginPage() {
  const navigate = useNavigate();
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [status] = createResource(() => trpc.auth.setupStatus.query());
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const me = await trpc.auth.login.mutate({
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      session.setMe(me);
      navigate('/', { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthCard title="Sign in">
      <Show when={status()?.needsSetup}>
        <p class="notice">
          No one has an account yet. Open the setup link that <code>npm start</code> printed, or start with
          PARLEY_ADMIN_EMAIL and PARLEY_ADMIN_PASSWORD.
        </p>
      </Show>
      <form class="stack" onSubmit={submit}>
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required autofocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <ErrorNote error={error()} />
        <button type="submit" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">
        Invited? Open the link you were sent. <A href="/setup">First-run setup</A>
      </p>
    </AuthCard>
  );
}
