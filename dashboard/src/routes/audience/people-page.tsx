import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { BulkLabels } from '../../components/people/bulk-labels.js';
import { type PeopleFilterState, PeopleFilters } from '../../components/people/people-filters.js';
import { PeopleTable } from '../../components/people/people-table.js';
import { Page } from '../../kit/page.js';
import { Empty, ErrorNote, Loading } from '../../kit/states.js';
import { toast } from '../../kit/toast.js';
import { createDebounced } from '../../lib/debounce.js';
import { exportHref } from '../../lib/people.js';
import { createPeoplePager, type PeopleFilter } from '../../lib/people-pager.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/** People: everyone, searchable and filterable, with bulk labels and a CSV export of the current label. */
export function PeoplePage() {
  const [filters, setFilters] = createSignal<PeopleFilterState>({
    search: '',
    label: '',
    optIn: '',
    blocked: '',
  });
  const search = createDebounced(() => filters().search.trim(), 300);
  const query = createMemo<PeopleFilter>(() => {
    const f = filters();
    return {
      ...(search() ? { search: search() } : {}),
      ...(f.label ? { label: f.label } : {}),
      ...(f.optIn ? { optIn: f.optIn } : {}),
      ...(f.blocked ? { blocked: f.blocked === 'yes' } : {}),
    };
  });
  const pager = createPeoplePager(query);
  const [labels, { refetch: refetchLabels }] = createResource(() => trpc.people.labels.query());
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const canWrite = () => session.can('contacts.write');
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const filtered = () => Object.keys(query()).length > 0;
  return (
    <Page
      title="People"
      description={
        <span role="status" aria-live="polite">
          <Show when={pager.total() !== undefined} fallback="Counting…">
            {pager.total()!.toLocaleString()}{' '}
            {filtered() ? 'matching' : pager.total() === 1 ? 'person' : 'people'}
          </Show>
        </span>
      }
      actions={
        <>
          <Show when={canWrite()}>
            <A class="button secondary" href="/people/import">
              Import CSV
            </A>
          </Show>
          <a class="button secondary" href={exportHref(filters().label || undefined)} download="people.csv">
            Export CSV{filters().label ? ` (${filters().label})` : ''}
          </a>
        </>
      }
    >
      <PeopleFilters
        value={filters()}
        labels={labels.latest ?? []}
        onChange={(next) => {
          setFilters(next);
          setSelected(new Set<string>());
        }}
      />
      <datalist id="known-labels">
        <For each={labels.latest ?? []}>{(l) => <option value={l.label} />}</For>
      </datalist>
      <Show when={canWrite()}>
        <BulkLabels
          ids={[...selected()]}
          onDone={(updated) => {
            toast.success(`Labels changed on ${updated} ${updated === 1 ? 'person' : 'people'}`);
            setSelected(new Set<string>());
            void refetchLabels();
            void pager.reload();
          }}
        />
      </Show>
      <ErrorNote error={pager.error()} retry={() => void pager.reload()} />
      <Show
        when={pager.items().length > 0}
        fallback={
          <Show when={!pager.loading()} fallback={<Loading what="people" />}>
            <Show when={!pager.error()}>
              <Empty
                action={
                  <Show when={!filtered() && canWrite()}>
                    <A class="button" href="/people/import">
                      Import people from a CSV
                    </A>
                  </Show>
                }
              >
                {filtered()
                  ? 'Nobody matches these filters.'
                  : 'No people yet. They appear when they message you, or import a CSV.'}
              </Empty>
            </Show>
          </Show>
        }
      >
        <PeopleTable
          items={pager.items()}
          total={pager.total() ?? pager.items().length}
          hasMore={pager.hasMore()}
          loading={pager.loading()}
          loadMore={() => void pager.loadMore()}
          selectable={canWrite()}
          selected={selected()}
          onToggle={toggle}
          onToggleAll={(on) => setSelected(new Set(on ? pager.items().map((p) => p.id) : []))}
        />
        <Show when={pager.loading()}>
          <Loading what="more people" />
        </Show>
      </Show>
    </Page>
  );
}
