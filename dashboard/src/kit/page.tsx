import { A } from '@solidjs/router';
import { children, createEffect, createUniqueId, For, type JSX, Show } from 'solid-js';

export interface Breadcrumb {
  href: string;
  label: string;
}

/** Every page's frame: breadcrumbs, the title (also the tab's), a description and the page's actions. */
export function Page(props: {
  title: string;
  description?: JSX.Element;
  actions?: JSX.Element;
  breadcrumbs?: Breadcrumb[];
  children: JSX.Element;
}) {
  const id = createUniqueId();
  // Resolved once: reading a JSX prop twice (to test it, then to show it) would build it twice.
  const description = children(() => props.description);
  const actions = children(() => props.actions);
  createEffect(() => {
    document.title = `${props.title} · Parley`;
  });
  return (
    <section class="page" aria-labelledby={id}>
      <Show when={props.breadcrumbs?.length}>
        <nav aria-label="Breadcrumbs" class="breadcrumbs">
          <ol>
            <For each={props.breadcrumbs}>
              {(crumb) => (
                <li>
                  <A href={crumb.href}>{crumb.label}</A>
                </li>
              )}
            </For>
          </ol>
        </nav>
      </Show>
      <header class="page-head">
        <div class="grow">
          <h1 id={id}>{props.title}</h1>
          <Show when={description()}>
            <p class="hint">{description()}</p>
          </Show>
        </div>
        <Show when={actions()}>
          <div class="actions">{actions()}</div>
        </Show>
      </header>
      {props.children}
    </section>
  );
}
