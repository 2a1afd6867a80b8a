import { A } from '@solidjs/router';
import { createEffect, createUniqueId, For, type JSX, Show } from 'solid-js';

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
          <Show when={props.description}>
            <p class="hint">{props.description}</p>
          </Show>
        </div>
        <Show when={props.actions}>
          <div class="actions">{props.actions}</div>
        </Show>
      </header>
      {props.children}
    </section>
  );
}
