import { A, useLocation } from '@solidjs/router';
import { createEffect, createSignal, For } from 'solid-js';
import { visibleNav } from '../lib/navigation.js';

/**
 * The main navigation: groups of pages in a side bar; at phone width a Menu button opens it as
 * a drawer over the page (a bar of links would wrap into rows), and choosing a page closes it.
 */
export function AppNav(props: { permissions: readonly string[] }) {
  const [open, setOpen] = createSignal(false);
  const location = useLocation();
  createEffect(() => {
    location.pathname;
    setOpen(false);
  });
  return (
    <>
      <button
        type="button"
        class="secondary menu-button"
        aria-expanded={open()}
        aria-controls="main-nav"
        onClick={() => setOpen(!open())}
      >
        Menu
      </button>
      <nav id="main-nav" aria-label="Main" class={`sidebar${open() ? ' open' : ''}`}>
        <For each={visibleNav(props.permissions)}>
          {(group) => (
            <section class="nav-group" aria-label={group.label}>
              <h2 class="nav-heading">{group.label}</h2>
              <ul>
                <For each={group.pages}>
                  {(page) => (
                    <li>
                      <A href={page.href} activeClass="active">
                        {page.label}
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          )}
        </For>
      </nav>
    </>
  );
}
