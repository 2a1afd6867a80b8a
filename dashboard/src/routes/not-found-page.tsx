import { A, useLocation } from '@solidjs/router';
import { onMount } from 'solid-js';

/** Any URL the dashboard does not know (the server answers it with status 404 too). */
export function NotFoundPage() {
  const location = useLocation();
  onMount(() => {
    document.title = 'Page not found · Parley';
  });
  return (
    <main class="auth">
      <section class="card auth-card stack" aria-labelledby="not-found-title">
        <span class="brand">Parley</span>
        <h1 id="not-found-title">Page not found</h1>
        <p>
          There is no page at <code>{location.pathname}</code>. It may have moved, or the link may be
          mistyped.
        </p>
        <A class="button" href="/">
          Go to the dashboard
        </A>
      </section>
    </main>
  );
}
