import { createResource, createSignal, Show } from 'solid-js';
import {
  leastPrivilegedRole,
  type RoleName,
  roleNames,
  roleSchema,
} from '../../../../api/auth/role.schema.js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { DataTable } from '../../kit/data-table.js';
import { fieldError, Select, SelectInput, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { Page } from '../../kit/page.js';
import { SecretNotice } from '../../kit/secret-notice.js';
import { formatTime } from '../../lib/format.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Member = Outputs['members']['list']['members'][number];
type Invite = Outputs['members']['list']['invites'][number];

const roleOptions = roleNames.map((r) => ({ value: r, label: r }));

/** Settings → Members: invite by link, change a role, deactivate, revoke a pending invite. */
export function MembersPage() {
  const [data, { refetch }] = createResource(() => trpc.members.list.query());
  const [email, setEmail] = createSignal('');
  // Kept after each invite: the next one goes out with the role the admin last chose.
  const [role, setRole] = createSignal<RoleName>(leastPrivilegedRole);
  const [link, setLink] = createSignal<string>();
  const invite = createAction(
    () => trpc.members.invite.mutate({ role: role(), ...(email().trim() ? { email: email().trim() } : {}) }),
    {
      success: (created) =>
        `Invite created for ${created.email ?? 'anyone with the link'} as ${created.role}`,
      after: async (created) => {
        setLink(created.url ?? new URL(created.path, window.location.origin).toString());
        setEmail('');
        await refetch();
      },
    },
  );
  const changeRole = createAction(
    (member: Member, next: RoleName) => trpc.members.changeRole.mutate({ userId: member.id, role: next }),
    { success: (_, m, next) => `${m.email} is now ${next}`, after: () => refetch(), errors: 'toast' },
  );
  const deactivate = createAction((member: Member) => trpc.members.deactivate.mutate({ userId: member.id }), {
    success: (_, m) => `${m.email} deactivated`,
    after: () => refetch(),
    errors: 'toast',
  });
  const revoke = createAction((i: Invite) => trpc.members.revokeInvite.mutate({ inviteId: i.id }), {
    success: 'Invite revoked',
    after: () => refetch(),
    errors: 'toast',
  });
  const askDeactivate = async (m: Member) => {
    const ok = await confirmAction({
      title: `Deactivate ${m.email}?`,
      message: 'Their sessions and API tokens end now.',
      confirmLabel: 'Deactivate',
      danger: true,
    });
    if (ok) await deactivate.run(m);
  };
  const editable = (m: Member) => m.active && m.id !== session.me()?.id;
  return (
    <Page title="Members" description="Who can sign in to this Parley, and what each role may do.">
      <form
        class="card row"
        aria-label="Invite a member"
        onSubmit={(e) => {
          e.preventDefault();
          void invite.run();
        }}
      >
        <TextField
          label="Email"
          hint="(optional)"
          name="email"
          type="email"
          autocomplete="off"
          value={email()}
          onInput={(e) => setEmail(e.currentTarget.value)}
          error={fieldError(invite.error(), 'email')}
        />
        <Select
          label="Role"
          name="role"
          options={roleOptions}
          value={role()}
          onChange={(value) => setRole(roleSchema.parse(value))}
          error={fieldError(invite.error(), 'role')}
        />
        <button type="submit" disabled={invite.pending()}>
          Invite
        </button>
      </form>
      <FormError error={invite.error()} shown={['email', 'role']} />
      <Show when={link()}>
        {(url) => (
          <SecretNotice
            message="Send this invite link to the new member. It works once, and is shown only now:"
            value={url()}
            label="Invite link"
          />
        )}
      </Show>
      <DataTable<Member>
        caption="Members"
        what="members"
        rows={data.latest?.members}
        error={data.error}
        retry={refetch}
        empty={{ message: 'No members yet.' }}
        columns={[
          { id: 'name', label: 'Name', cell: (m) => m.name, sort: (a, b) => a.name.localeCompare(b.name) },
          {
            id: 'email',
            label: 'Email',
            cell: (m) => m.email,
            sort: (a, b) => a.email.localeCompare(b.email),
          },
          {
            id: 'role',
            label: 'Role',
            cell: (m) => (
              <SelectInput
                aria-label={`Role of ${m.email}`}
                options={roleOptions}
                value={m.role}
                disabled={!editable(m) || changeRole.pending()}
                onChange={(value) => void changeRole.run(m, roleSchema.parse(value))}
              />
            ),
          },
          {
            id: 'status',
            label: 'Status',
            cell: (m) => (m.active ? 'Active' : `Deactivated ${formatTime(m.deactivated_at)}`),
          },
          {
            id: 'actions',
            label: 'Actions',
            cell: (m) => (
              <Show when={editable(m)}>
                <button type="button" class="danger" onClick={() => void askDeactivate(m)}>
                  Deactivate
                </button>
              </Show>
            ),
          },
        ]}
      />
      <Show when={!data.error}>
        <h2>Pending invites</h2>
        <DataTable<Invite>
          caption="Pending invites"
          captionHidden
          what="invites"
          rows={data.latest?.invites}
          empty={{ message: 'No pending invites.' }}
          columns={[
            { id: 'email', label: 'Email', cell: (i) => i.email ?? 'anyone with the link' },
            { id: 'role', label: 'Role', cell: (i) => i.role },
            { id: 'expires', label: 'Expires', cell: (i) => formatTime(i.expires_at) },
            {
              id: 'actions',
              label: 'Actions',
              cell: (i) => (
                <button type="button" class="secondary" onClick={() => void revoke.run(i)}>
                  Revoke invite
                </button>
              ),
            },
          ]}
        />
      </Show>
    </Page>
  );
}
