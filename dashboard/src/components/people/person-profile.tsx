import { For, Show } from 'solid-js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { fieldError } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { formatTime } from '../../lib/format.js';
import { type OptIn, optInLabels, optInStates, type Person } from '../../lib/people.js';
import { trpc } from '../../lib/trpc.js';

type ProfileChange = Omit<Parameters<typeof trpc.people.update.mutate>[0], 'id' | 'fields'>;

/** The built-in profile: who, how to reach them, consent and block state; editable with contacts.write. */
export function PersonProfile(props: {
  person: Person;
  canWrite: boolean;
  onSaved: (person: Person) => void;
}) {
  const action = createAction(
    (change: ProfileChange) => trpc.people.update.mutate({ id: props.person.id, ...change }),
    {
      success: (_, change) =>
        change.blocked === undefined ? 'Profile saved' : change.blocked ? 'Blocked' : 'Unblocked',
      after: (person) => props.onSaved(person),
    },
  );
  const update = (change: ProfileChange) => action.run(change);
  const error = action.error;
  const busy = action.pending;
  const reasonFor = (field: string) => fieldError(error(), field);
  const toggleBlock = async () => {
    const ok =
      props.person.blocked ||
      (await confirmAction({
        title: 'Block this person?',
        message: 'Parley stops sending them messages.',
        confirmLabel: 'Block',
        danger: true,
      }));
    if (ok) await update({ blocked: !props.person.blocked });
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (key: string) => String(form.get(key) ?? '').trim() || null;
    const change: ProfileChange = {
      language: text('language'),
      timezone: text('timezone'),
      optIn: String(form.get('optIn')) as OptIn,
    };
    // A masked name is not the real one: never write it back.
    if (!props.person.masked) change.name = text('name');
    return update(change);
  };
  return (
    <section class="card stack" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl>
        <dt>Phone</dt>
        <dd class="mono">{props.person.phone}</dd>
        <dt>WhatsApp id</dt>
        <dd class="mono">{props.person.waId}</dd>
        <Show when={props.person.bsuid}>
          <dt>BSUID</dt>
          <dd class="mono">{props.person.bsuid}</dd>
        </Show>
        <Show when={props.person.parentBsuid}>
          <dt>Parent BSUID</dt>
          <dd class="mono">{props.person.parentBsuid}</dd>
        </Show>
        <Show when={props.person.username}>
          <dt>Username</dt>
          <dd>@{props.person.username}</dd>
        </Show>
        <dt>Channel</dt>
        <dd>{props.person.channel}</dd>
        <dt>Timezone</dt>
        <dd>
          {props.person.timezone}
          <Show when={props.person.timezoneDerived}>
            {' '}
            <span class="hint">(derived from the phone's country)</span>
          </Show>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(props.person.createdAt)}</dd>
        <dt>First message</dt>
        <dd>{formatTime(props.person.firstMessageReceivedAt)}</dd>
        <dt>Last message</dt>
        <dd>{formatTime(props.person.lastMessageReceivedAt)}</dd>
        <dt>Last seen</dt>
        <dd>{formatTime(props.person.lastSeenAt)}</dd>
      </dl>
      <form class="stack" aria-label="Edit profile" onSubmit={save}>
        <div class="row">
          <label>
            Name
            <input
              name="name"
              value={props.person.name ?? ''}
              disabled={!props.canWrite || props.person.masked}
              title={props.person.masked ? 'Reveal personal data to edit the name' : undefined}
              maxLength={200}
            />
            <Show when={reasonFor('name')}>
              <span class="field-error">{reasonFor('name')}</span>
            </Show>
          </label>
          <label>
            Language
            <input
              name="language"
              value={props.person.language ?? ''}
              placeholder="e.g. en, zu"
              disabled={!props.canWrite}
            />
            <Show when={reasonFor('language')}>
              <span class="field-error">{reasonFor('language')}</span>
            </Show>
          </label>
          <label>
            <span>
              Timezone <span class="hint">(empty: from the phone's country)</span>
            </span>
            <input
              name="timezone"
              value={props.person.timezoneDerived ? '' : props.person.timezone}
              placeholder={props.person.timezone}
              disabled={!props.canWrite}
            />
            <Show when={reasonFor('timezone')}>
              <span class="field-error">{reasonFor('timezone')}</span>
            </Show>
          </label>
          <label>
            Opt-in
            <select name="optIn" disabled={!props.canWrite}>
              <For each={optInStates}>
                {(s) => (
                  <option value={s} selected={s === props.person.optIn}>
                    {optInLabels[s]}
                  </option>
                )}
              </For>
            </select>
          </label>
        </div>
        <Show when={props.canWrite}>
          <div class="row">
            <button type="submit" disabled={busy()}>
              Save profile
            </button>
            <button
              type="button"
              class={props.person.blocked ? 'secondary' : 'danger'}
              disabled={busy()}
              onClick={() => void toggleBlock()}
            >
              {props.person.blocked ? 'Unblock' : 'Block'}
            </button>
          </div>
        </Show>
      </form>
      <FormError error={error()} shown={['name', 'language', 'timezone']} />
    </section>
  );
}
