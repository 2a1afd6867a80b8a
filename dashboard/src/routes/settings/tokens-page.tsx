import { createResource, createSignal, Show } from 'solid-js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { CheckboxGroup, fieldError, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { Page } from '../../kit/page.js';
import { SecretNotice } from '../../kit/secret-notice.js';
import { Loading } from '../../kit/states.js';
import { formatTime } from '../../lib/format.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Token = Outputs['tokens']['list'][number];

/** Settings → API tokens: bearer tokens for the REST API; the secret is shown once. */
export function TokensPage() {
  const [tokens, { refetch }] = createResource(() => trpc.tokens.list.query());
  const [scopes] = createResource(() => trpc.tokens.availableScopes.query());
  const [name, setName] = createSignal('');
  const [expires, setExpires] = createSignal('');
  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set());
  const [secret, setSecret] = createSignal<string>();
  let nameInput: HTMLInputElement | undefined;
  const create = createAction(
    () =>
      trpc.tokens.create.mutate({
        name: name(),
        scopes: [...chosen()],
        expiresAt: expires() ? new Date(`${expires()}T23:59:59`).toISOString() : null,
      }),
    {
      success: (created) => `Token ${created.name} created`,
      after: async (created) => {
        setSecret(created.token);
        setName('');
        setExpires('');
        setChosen(new Set<string>());
        await refetch();
      },
    },
  );
  const revoke = createAction((t: Token) => trpc.tokens.revoke.mutate({ tokenId: t.id }), {
    success: (_, t) => `Token ${t.name} revoked`,
    after: () => refetch(),
    errors: 'toast',
  });
  const askRevoke = async (t: Token) => {
    const ok = await confirmAction({
      title: `Revoke the token "${t.name}"?`,
      message: 'Integrations using it stop working now.',
      confirmLabel: 'Revoke token',
      danger: true,
    });
    if (ok) await revoke.run(t);
  };
  return (
    <Page
      title="API tokens"
      description={
        <>
          Send as <code>Authorization: Bearer …</code> to the REST API (<a href="/docs/api">reference</a>).
        </>
      }
    >
      <form
        class="card stack"
        aria-label="Create a token"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <div class="row">
          <TextField
            ref={nameInput}
            label="Name"
            name="name"
            required
            maxLength={200}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error(), 'name')}
          />
          <TextField
            label="Expires"
            hint="(optional)"
            name="expiresAt"
            type="date"
            value={expires()}
            onInput={(e) => setExpires(e.currentTarget.value)}
            error={fieldError(create.error(), 'expiresAt')}
          />
        </div>
        <Show when={scopes()} fallback={<Loading what="scopes" />}>
          {(list) => (
            <CheckboxGroup
              legend="Scopes"
              name="scopes"
              options={list()}
              value={chosen()}
              onChange={setChosen}
              error={fieldError(create.error(), 'scopes')}
            />
          )}
        </Show>
        <button type="submit" disabled={create.pending()}>
          Create token
        </button>
        <FormError error={create.error()} shown={['name', 'expiresAt', 'scopes']} />
      </form>
      <Show when={secret()}>
        {(value) => (
          <SecretNotice
            message="Copy the token now. Parley keeps only its hash and cannot show it again:"
            value={value()}
            label="New token"
          />
        )}
      </Show>
      <DataTable<Token>
        caption="Tokens"
        what="tokens"
        rows={tokens.latest}
        error={tokens.error}
        retry={refetch}
        empty={{
          message: 'No API tokens yet. Create one above to call the REST API.',
          action: (
            <button type="button" class="secondary" onClick={() => nameInput?.focus()}>
              Create a token
            </button>
          ),
        }}
        columns={[
          { id: 'name', label: 'Name', cell: (t) => t.name, sort: (a, b) => a.name.localeCompare(b.name) },
          { id: 'prefix', label: 'Prefix', class: 'mono', cell: (t) => `${t.token_prefix}…` },
          { id: 'scopes', label: 'Scopes', cell: (t) => t.scopes.join(', ') },
          {
            id: 'created',
            label: 'Created',
            cell: (t) => `${formatTime(t.created_at)} by ${t.created_by_email}`,
            sort: (a, b) => String(a.created_at).localeCompare(String(b.created_at)),
          },
          { id: 'used', label: 'Last used', cell: (t) => formatTime(t.last_used_at) },
          {
            id: 'status',
            label: 'Status',
            cell: (t) =>
              t.revoked_at
                ? `Revoked ${formatTime(t.revoked_at)}`
                : t.expires_at
                  ? `Expires ${formatTime(t.expires_at)}`
                  : 'Active',
          },
          {
            id: 'actions',
            label: 'Actions',
            cell: (t) => (
              <Show when={!t.revoked_at}>
                <button type="button" class="danger" onClick={() => void askRevoke(t)}>
                  Revoke
                </button>
              </Show>
            ),
          },
        ]}
      />
    </Page>
  );
}
