import { createResource, createSignal, For, Show } from 'solid-js';
import { ErrorNote, ListState, Loading } from '../components/states.js';
import { formatTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';

/** Settings → API tokens: bearer tokens for the REST API; the secret is shown once. */
export function TokensPage() {
  const [tokens, { refetch }] = createResource(() => trpc.tokens.list.query());
  const [scopes] = createResource(() => trpc.tokens.availableScopes.query());
  const [error, setError] = createSignal<unknown>();
  const [secret, setSecret] = createSignal<string>();
  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const expires = String(form.get('expiresAt') ?? '');
    setError(undefined);
    try {
      const created = await trpc.tokens.create.mutate({
        name: String(form.get('name') ?? ''),
        scopes: form.getAll('scopes').map(String),
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      });
      setSecret(created.token);
      formEl.reset();
      await refetch();
    } catch (caught) {
      setError(caught);
    }
  };
  const revoke = async (id: string, name: string) => {
    if (!confirm(`Revoke the token "${name}"? Integrations using it stop working now.`)) return;
    setError(undefined);
    try {
      await trpc.tokens.revoke.mutate({ tokenId: id });
      await refetch();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section class="page" aria-labelledby="tokens-title">
      <header class="page-head">
        <h1 id="tokens-title">API tokens</h1>
        <p class="hint">
          Send as <code>Authorization: Bearer …</code> to the REST API (<a href="/docs/api">reference</a>).
        </p>
      </header>
      <form class="card stack" onSubmit={create} aria-label="Create a token">
        <div class="row">
          <label>
            Name
            <input name="name" required maxLength={200} />
          </label>
          <label>
            <span>
              Expires <span class="hint">(optional)</span>
            </span>
            <input name="expiresAt" type="date" />
          </label>
        </div>
        <fieldset class="scopes">
          <legend>Scopes</legend>
          <Show when={scopes()} fallback={<Loading what="scopes" />}>
            <For each={scopes()}>
              {(scope) => (
                <label class="check">
                  <input type="checkbox" name="scopes" value={scope} />
                  {scope}
                </label>
              )}
            </For>
          </Show>
        </fieldset>
        <button type="submit">Create token</button>
      </form>
      <Show when={secret()}>
        <div class="notice secret" role="status">
          <p>Copy the token now. Parley keeps only its hash and cannot show it again:</p>
          <input
            class="mono"
            readonly
            value={secret()}
            aria-label="New token"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      </Show>
      <ErrorNote error={error()} />
      <ListState resource={tokens} what="tokens" empty="No API tokens yet." retry={refetch}>
        {(list) => (
          <div class="table-wrap">
            <table>
              <caption>Tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(t) => (
                    <tr>
                      <td>{t.name}</td>
                      <td class="mono">{t.token_prefix}…</td>
                      <td>{t.scopes.join(', ')}</td>
                      <td>
                        {formatTime(t.created_at)} by {t.created_by_email}
                      </td>
                      <td>{formatTime(t.last_used_at)}</td>
                      <td>
                        {t.revoked_at
                          ? `Revoked ${formatTime(t.revoked_at)}`
                          : t.expires_at
                            ? `Expires ${formatTime(t.expires_at)}`
                            : 'Active'}
                      </td>
                      <td>
                        <Show when={!t.revoked_at}>
                          <button type="button" class="danger" onClick={() => revoke(t.id, t.name)}>
                            Revoke
                          </button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ListState>
    </section>
  );
}
