import { A, useNavigate } from '@solidjs/router';
import { createEffect, For, type JSX, Show } from 'solid-js';
import { session } from '../lib/session.js';
import { trpc } from '../lib/trpc.js';
import { navLinks } from './nav-links.js';
import { ErrorNote, Loading } from './states.js';

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
              <nav aria-label="Main">
                <ul>
                  <For each={navLinks(me().permissions)}>
                    {(link) => (
                      <li>
                        <A href={link.href} activeClass="active">
                          {link.label}
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </nav>
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
              {props.children}
            </main>
          </div>
        )}
      </Show>
    </Show>
  );
}
