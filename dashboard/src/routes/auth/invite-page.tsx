import { useNavigate } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { AccountForm } from '../../components/account-form.js';
import { AuthCard } from '../../components/auth-card.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import { fragmentToken } from '../../lib/format.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/** Accepting an invite: /invite#token=... shows the role offered and creates the account. */
export function InvitePage() {
  const navigate = useNavigate();
  const token = fragmentToken();
  const [info] = createResource(
    () => token || undefined,
    (t) => trpc.auth.inviteInfo.query({ token: t }),
  );
  return (
    <AuthCard title="Join Parley">
      <Show
        when={token}
        fallback={
          <p class="error" role="alert">
            This page needs the invite link you were sent (it ends in #token=…).
          </p>
        }
      >
        <Show when={!info.error} fallback={<ErrorNote error={info.error} />}>
          <Show when={info()} fallback={<Loading what="the invite" />}>
            {(invite) => (
              <>
                <p>
                  You are invited as <strong>{invite().role}</strong>.
                </p>
                <AccountForm
                  submitLabel="Create my account"
                  fixedEmail={invite().email}
                  onSubmit={async (account) => {
                    const { email, ...rest } = account;
                    const me = await trpc.auth.acceptInvite.mutate({
                      token,
                      ...rest,
                      ...(invite().email ? {} : { email }),
                    });
                    session.setMe(me);
                    navigate('/', { replace: true });
                  }}
                />
              </>
            )}
          </Show>
        </Show>
      </Show>
    </AuthCard>
  );
}
