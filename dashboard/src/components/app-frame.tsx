import { useNavigate } from '@solidjs/router';
import { createEffect, type JSX, Show } from 'solid-js';
import { ErrorNote, Loading } from '../kit/states.js';
import { session } from '../lib/session.js';
import { trpc } from '../lib/trpc.js';
import { AppNav } from './app-nav.js';
import { LowBalanceBanner } from './low-balance-banner.js';

/** The signed-in layout: navigation, the member's name and sign-out; signed-out visitors go to /login. */
export function AppFrame(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  createEffect(() => {
    if (!session.me.loading && !session.me.error && session.me() === null)
      navigate('/login', { replace: true });
  });
  const logout = async () => {
    await trpc.auth.logout.mutate().catch(() => {});
    session.setMe(null);
    navigate('/login');
  };
  return (
    <Show when={!session.me.error} fallback={<ErrorNote error={session.me.error} retry={session.refetch} />}>
      <Show when={session.me()} fallback={<Loading />}>
        {(me) => (
          <div class="frame">
            <a class="skip" href="#main">
              Skip to content
            </a>
            <header class="topbar">
              <span class="brand">Parley</span>
              <AppNav permissions={me().permissions} />
              <div class="who">
                <span title={me().email}>
                  {me().name} · {me().role}
                </span>
                <button type="button" class="secondary" onClick={logout}>
                  Sign out
                </button>
              </div>
            </header>
            <main id="main" tabindex="-1">
              <LowBalanceBanner />
              {props.children}
            </main>
          </div>
        )}
      </Show>
    </Show>
  );
}
