import type { JSX } from 'solid-js';

/** The centred card of the signed-out pages (login, setup, invite). */
export function AuthCard(props: { title: string; children: JSX.Element }) {
  return (
    <main class="auth" id="main">
      <section class="card auth-card" aria-labelledby="auth-title">
        <p class="brand">Parley</p>
        <h1 id="auth-title">{props.title}</h1>
        {props.children}
      </section>
    </main>
  );
}
