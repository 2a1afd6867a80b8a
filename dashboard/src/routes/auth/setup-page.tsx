import { A, useNavigate } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { AccountForm } from '../../components/account-form.js';
import { AuthCard } from '../../components/auth-card.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import { fragmentToken } from '../../lib/format.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/** First run: the one-time link /setup#token=... creates the first admin. */
export function SetupPage() {
  const navigate = useNavigate();
  const token = fragmentToken();
  const [status, { refetch }] = createResource(() => trpc.auth.setupStatus.query());
  return (
    <AuthCard title="Set up Parley">
      <Show when={!status.error} fallback={<ErrorNote error={status.error} retry={refetch} />}>
        <Show when={status()} fallback={<Loading />}>
          {(s) => (
            <Show
              when={s().needsSetup}
              fallback={
                <p>
                  Parley is already set up. <A href="/login">Sign in</A>
                </p>
              }
            >
              <Show
                when={token}
                fallback={
                  <p class="error" role="alert">
                    This page needs the setup link that <code>npm start</code> printed (it ends in #token=…).
                  </p>
                }
              >
                <p>Create the first administrator account.</p>
                <AccountForm
                  submitLabel="Create admin account"
                  onSubmit={async (account) => {
                    session.setMe(await trpc.auth.completeSetup.mutate({ token, ...account }));
                    navigate('/', { replace: true });
                  }}
                />
              </Show>
            </Show>
          )}
        </Show>
      </Show>
    </AuthCard>
  );
}
