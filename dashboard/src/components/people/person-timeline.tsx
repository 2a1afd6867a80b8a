import { createSignal, For, onMount, Show } from 'solid-js';
import { Empty, ErrorNote, Loading } from '../../kit/states.js';
import { formatTime } from '../../lib/format.js';
import type { TimelineItem } from '../../lib/people.js';
import { trpc } from '../../lib/trpc.js';

/**
 * Everything the log holds about a person, newest first: messages, profile changes, journey
 * steps, reminders, operator actions. "Load older" pages back with `beforeEventId`.
 * `ref` hands the parent a reload, which it calls after a change on the page.
 */
export function PersonTimeline(props: { personId: string; ref?: (reload: () => Promise<void>) => void }) {
  const [items, setItems] = createSignal<TimelineItem[]>([]);
  const [before, setBefore] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<unknown>();
  const load = async (older: boolean) => {
    setLoading(true);
    setError(undefined);
    try {
      const cursor = older ? before() : null;
      const page = await trpc.people.timeline.query({
        id: props.personId,
        ...(cursor ? { beforeEventId: cursor } : {}),
        limit: 50,
      });
      setItems((prev) => (older ? [...prev, ...page.items] : page.items));
      setBefore(page.nextBeforeEventId);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  onMount(() => {
    props.ref?.(() => load(false));
    void load(false);
  });
  return (
    <section class="card stack" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ErrorNote error={error()} retry={() => void load(false)} />
      <Show
        when={items().length > 0 || loading() || error()}
        fallback={<Empty>Nothing in the log yet.</Empty>}
      >
        <ol class="timeline" aria-label="Timeline">
          <For each={items()}>
            {(item) => (
              <li class={item.direction ? `tl-${item.direction}` : 'tl-event'}>
                <div class="tl-head">
                  <strong>{item.title}</strong>
                  <Show when={item.status}>
                    <span class={`badge ${item.status?.startsWith('Failed') ? 'bad' : 'ok'}`}>
                      {item.status}
                    </span>
                  </Show>
                  <time datetime={item.occurredAt} class="hint">
                    {formatTime(item.occurredAt)}
                  </time>
                </div>
                <Show when={item.detail}>
                  <p class="tl-detail">{item.detail}</p>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={loading()}>
        <Loading what="timeline" />
      </Show>
      <Show when={before() && !loading()}>
        <button type="button" class="secondary" onClick={() => load(true)}>
          Load older
        </button>
      </Show>
    </section>
  );
}
