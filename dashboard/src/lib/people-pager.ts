import { batch, createEffect, createSignal, on } from 'solid-js';
import type { PersonSummary } from './people.js';
import { trpc } from './trpc.js';

export type PeopleFilter = Omit<Parameters<typeof trpc.people.list.query>[0], 'afterId' | 'limit'>;

const pageSize = 200;

/**
 * Everyone matching a filter, fetched page by page with keyset paging (`afterId`) as the
 * list scrolls. A new filter starts over; an answer for an older filter is dropped, so a
 * slow search never overwrites a newer one.
 */
export function createPeoplePager(filter: () => PeopleFilter) {
  const [items, setItems] = createSignal<PersonSummary[]>([]);
  const [total, setTotal] = createSignal<number>();
  const [nextAfterId, setNextAfterId] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  let generation = 0;

  const load = async (reset: boolean) => {
    const mine = reset ? ++generation : generation;
    const afterId = reset ? undefined : nextAfterId();
    if (!reset && (loading() || !afterId)) return;
    batch(() => {
      setLoading(true);
      setError(undefined);
    });
    try {
      const page = await trpc.people.list.query({
        ...filter(),
        ...(afterId ? { afterId } : {}),
        limit: pageSize,
      });
      if (mine !== generation) return;
      batch(() => {
        setItems((prev) => (reset ? page.items : [...prev, ...page.items]));
        setTotal(page.total);
        setNextAfterId(page.nextAfterId);
      });
    } catch (caught) {
      if (mine === generation) setError(caught);
    } finally {
      if (mine === generation) setLoading(false);
    }
  };

  createEffect(on(filter, () => void load(true)));

  return {
    items,
    total,
    loading,
    error,
    hasMore: () => nextAfterId() !== null,
    loadMore: () => load(false),
    reload: () => load(true),
  };
}
