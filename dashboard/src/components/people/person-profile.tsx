import { createSignal, For, Show } from 'solid-js';
import { ErrorNote } from '../../kit/states.js';
import { formatTime } from '../../lib/format.js';
import { type OptIn, optInLabels, optInStates, type Person } from '../../lib/people.js';
import { fieldErrors, trpc } from '../../lib/trpc.js';

type ProfileChange = Omit<Parameters<typeof trpc.people.update.mutate>[0], 'id' | 'fields'>;

/** The built-in profile: who, how to reach them, consent and block state; editable with contacts.write. */
export function PersonProfile(props: {
  person: Person;
  canWrite: boolean;
  onSaved: (person: Person) => void;
}) {
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const reasonFor = (field: string) => fieldErrors(error()).find((f) => f.field === field)?.reason;
  const update = async (change: ProfileChange) => {
    setBusy(true);
    setError(undefined);
    try {
      props.onSaved(await trpc.people.update.mutate({ id: props.person.id, ...change }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
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
            <select name="optIn" value={props.person.optIn} disabled={!props.canWrite}>
              <For each={optInStates}>{(s) => <option value={s}>{optInLabels[s]}</option>}</For>
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
              onClick={() => {
                if (props.person.blocked || confirm('Block this person? Parley stops sending them messages.'))
                  void update({ blocked: !props.person.blocked });
              }}
            >
              {props.person.blocked ? 'Unblock' : 'Block'}
            </button>
          </div>
        </Show>
      </form>
      <Show when={fieldErrors(error()).length === 0}>
        <ErrorNote error={error()} />
      </Show>
    </section>
  );
}
