import { useParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { ErasePerson } from '../../components/people/erase-person.js';
import { PersonFields } from '../../components/people/person-fields.js';
import { PersonLabels } from '../../components/people/person-labels.js';
import { PersonProfile } from '../../components/people/person-profile.js';
import { PersonTimeline } from '../../components/people/person-timeline.js';
import { createAction } from '../../kit/create-action.js';
import { Page } from '../../kit/page.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import { type Person, personName } from '../../lib/people.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/** One person: profile, custom fields, labels and the timeline of everything the log holds about them. */
export function PersonPage() {
  const params = useParams<{ id: string }>();
  const [person, { mutate, refetch }] = createResource(
    () => params.id,
    (id) => trpc.people.get.query({ id }),
  );
  const [fields] = createResource(() => trpc.customFields.list.query());
  const [revealed, setRevealed] = createSignal<Person>();
  let reloadTimeline: (() => Promise<void>) | undefined;
  /** The server masks every answer for the dashboard; keep showing what this member chose to reveal. */
  const shown = (p: Person): Person => {
    const r = revealed();
    return r && r.id === p.id
      ? {
          ...p,
          waId: r.waId,
          phone: r.phone,
          bsuid: r.bsuid,
          parentBsuid: r.parentBsuid,
          username: r.username,
          name: p.masked ? r.name : p.name,
          masked: false,
        }
      : p;
  };
  const changed = (next?: Person) => {
    if (next) mutate(next);
    else void refetch();
    void reloadTimeline?.();
  };
  const reveal = createAction(
    () => trpc.people.revealPii.mutate({ id: params.id, reason: 'viewed on the person page' }),
    {
      success: 'Phone and name revealed (the reveal is logged)',
      after: (person) => {
        setRevealed(person);
        void reloadTimeline?.();
      },
    },
  );
  const title = () => {
    const p = person.latest;
    return p ? personName(shown(p)) : 'Person';
  };
  const canWrite = () => session.can('contacts.write');
  return (
    <Page title={title()} breadcrumbs={[{ href: '/people', label: 'People' }]}>
      <Show when={!person.error} fallback={<ErrorNote error={person.error} retry={refetch} />}>
        <Show when={person.latest} fallback={<Loading what="person" />}>
          {(p) => (
            <>
              <div class="row">
                <p class="hint grow person-status">
                  <span class="mono">{shown(p()).phone ?? 'no phone number shared'}</span>
                  <Show when={shown(p()).username}>
                    {' · '}
                    <span>@{shown(p()).username}</span>
                  </Show>
                  <Show when={shown(p()).bsuid}>
                    {' · '}
                    <span class="mono" title="WhatsApp business-scoped user id">
                      {shown(p()).bsuid}
                    </span>
                  </Show>
                  <Show when={p().marketingOptIn === 'opted_out'}>
                    {' '}
                    <span class="badge warn">Stopped marketing</span>
                  </Show>
                  <Show when={p().blocked}>
                    {' '}
                    <span class="badge bad">Blocked</span>
                  </Show>
                  <Show when={p().erasedAt}>
                    {' '}
                    <span class="badge warn">Erased</span>
                  </Show>
                </p>
                <Show when={shown(p()).masked && session.can('pii.read')}>
                  <button
                    type="button"
                    class="secondary"
                    disabled={reveal.pending()}
                    onClick={() => void reveal.run()}
                  >
                    Reveal phone and name
                  </button>
                </Show>
              </div>
              <ErrorNote error={reveal.error()} />
              <div class="person-grid">
                <div class="stack">
                  <PersonProfile person={shown(p())} canWrite={canWrite()} onSaved={changed} />
                  <PersonLabels
                    personId={p().id}
                    labels={p().labels}
                    canWrite={canWrite()}
                    onChanged={() => changed()}
                  />
                  <Show when={!fields.error} fallback={<ErrorNote error={fields.error} />}>
                    <Show when={fields.latest} fallback={<Loading what="custom fields" />}>
                      {(list) => (
                        <PersonFields person={p()} fields={list()} canWrite={canWrite()} onSaved={changed} />
                      )}
                    </Show>
                  </Show>
                  <Show when={session.can('contacts.erase') && !p().erasedAt}>
                    <ErasePerson personId={p().id} onErased={() => changed()} />
                  </Show>
                </div>
                <PersonTimeline personId={p().id} ref={(reload) => (reloadTimeline = reload)} />
              </div>
            </>
          )}
        </Show>
      </Show>
    </Page>
  );
}
