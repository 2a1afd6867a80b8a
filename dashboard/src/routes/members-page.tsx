import { createResource, createSignal, For, Show } from 'solid-js';
import { ErrorNote, Loading } from '../components/states.js';
import { formatTime } from '../lib/format.js';
import { session } from '../lib/session.js';
import { trpc } from '../lib/trpc.js';

const roles = ['admin', 'builder', 'operator', 'analyst', 'viewer'] as const;
type Role = (typeof roles)[number];

/** Settings → Members and roles: invite by link, change a role, deactivate, revoke a pending invite. */
export function MembersPage() {
  const [data, { refetch }] = createResource(() => trpc.members.list.query());
  const [error, setError] = createSignal<unknown>();
  const [link, setLink] = createSignal<string>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await refetch();
    } catch (caught) {
      setError(caught);
    }
  };
  const invite = (event: SubmitEvent) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const email = String(form.get('email') ?? '').trim();
    return run(async () => {
      const created = await trpc.members.invite.mutate({
        role: String(form.get('role')) as Role,
        ...(email ? { email } : {}),
      });
      setLink(created.url ?? new URL(created.path, window.location.origin).toString());
      formEl.reset();
    });
  };
  return (
    <section class="page" aria-labelledby="members-title">
      <header class="page-head">
        <h1 id="members-title">Members and roles</h1>
      </header>
      <form class="card row" onSubmit={invite} aria-label="Invite a member">
        <label>
          <span>
            Email <span class="hint">(optional)</span>
          </span>
          <input name="email" type="email" autocomplete="off" />
        </label>
        <label>
          Role
          <select name="role">
            <For each={roles}>
              {(r) => (
                <option value={r} selected={r === 'operator'}>
                  {r}
                </option>
              )}
            </For>
          </select>
        </label>
        <button type="submit">Invite</button>
      </form>
      <Show when={link()}>
        <div class="notice secret" role="status">
          <p>Send this invite link to the new member. It works once, and is shown only now:</p>
          <input
            class="mono"
            readonly
            value={link()}
            aria-label="Invite link"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      </Show>
      <ErrorNote error={error()} />
      <Show when={!data.error} fallback={<ErrorNote error={data.error} retry={refetch} />}>
        <Show when={data.latest} fallback={<Loading what="members" />}>
          {(d) => (
            <>
              <div class="table-wrap">
                <table>
                  <caption>Members</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Email</th>
                      <th scope="col">Role</th>
                      <th scope="col">Status</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={d().members}>
                      {(m) => (
                        <tr>
                          <td>{m.name}</td>
                          <td>{m.email}</td>
                          <td>
                            <select
                              aria-label={`Role of ${m.email}`}
                              value={m.role}
                              disabled={!m.active || m.id === session.me()?.id}
                              onChange={(e) =>
                                run(() =>
                                  trpc.members.changeRole.mutate({
                                    userId: m.id,
                                    role: e.currentTarget.value as Role,
                                  }),
                                )
                              }
                            >
                              <For each={roles}>{(r) => <option value={r}>{r}</option>}</For>
                            </select>
                          </td>
                          <td>{m.active ? 'Active' : `Deactivated ${formatTime(m.deactivated_at)}`}</td>
                          <td>
                            <Show when={m.active && m.id !== session.me()?.id}>
                              <button
                                type="button"
                                class="danger"
                                onClick={() => {
                                  if (
                                    confirm(`Deactivate ${m.email}? Their sessions and API tokens end now.`)
                                  )
                                    void run(() => trpc.members.deactivate.mutate({ userId: m.id }));
                                }}
                              >
                                Deactivate
                              </button>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <h2>Pending invites</h2>
              <Show when={d().invites.length > 0} fallback={<p class="state empty">No pending invites.</p>}>
                <div class="table-wrap">
                  <table>
                    <caption class="visually-hidden">Pending invites</caption>
                    <thead>
                      <tr>
                        <th scope="col">Email</th>
                        <th scope="col">Role</th>
                        <th scope="col">Expires</th>
                        <th scope="col">Actions</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={d().invites}>
                        {(i) => (
                          <tr>
                            <td>{i.email ?? 'anyone with the link'}</td>
                            <td>{i.role}</td>
                            <td>{formatTime(i.expires_at)}</td>
                            <td>
                              <button
                                type="button"
                                class="secondary"
                                onClick={() =>
                                  run(() => trpc.members.revokeInvite.mutate({ inviteId: i.id }))
                                }
                              >
                                Revoke invite
                              </button>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
