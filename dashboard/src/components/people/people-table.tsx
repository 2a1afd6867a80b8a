import { A } from '@solidjs/router';
import { createVirtualizer } from '@tanstack/solid-virtual';
import { createEffect, For, Show } from 'solid-js';
import { formatTime } from '../../lib/format.js';
import { optInLabels, type PersonSummary, personName } from '../../lib/people.js';

const rowHeight = 45;

/**
 * Everyone loaded so far in a table that renders only the rows in view (a spacer row above
 * and below keeps the scroll height), so 100,000 people scroll as smoothly as 100. Nearing
 * the end of what is loaded asks for the next page.
 */
export function PeopleTable(props: {
  items: PersonSummary[];
  total: number;
  hasMore: boolean;
  loading: boolean;
  loadMore: () => void;
  selectable: boolean;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}) {
  let scroller!: HTMLElement;
  const virtualizer = createVirtualizer({
    get count() {
      return props.items.length;
    },
    getScrollElement: () => scroller,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  createEffect(() => {
    const rows = virtualizer.getVirtualItems();
    const last = rows[rows.length - 1];
    if (last && last.index >= props.items.length - 40 && props.hasMore && !props.loading) props.loadMore();
  });
  const top = () => virtualizer.getVirtualItems()[0]?.start ?? 0;
  const bottom = () => virtualizer.getTotalSize() - (virtualizer.getVirtualItems().at(-1)?.end ?? 0);
  const allSelected = () => props.items.length > 0 && props.items.every((p) => props.selected.has(p.id));
  const columns = () => (props.selectable ? 6 : 5);
  return (
    <section class="table-wrap virtual-scroll" ref={scroller} tabindex="0" aria-label="People list">
      <table aria-rowcount={props.total + 1}>
        <caption class="visually-hidden">People</caption>
        <thead>
          <tr aria-rowindex={1}>
            <Show when={props.selectable}>
              <th scope="col" class="pick">
                <input
                  type="checkbox"
                  aria-label="Select everyone loaded"
                  checked={allSelected()}
                  onChange={(e) => props.onToggleAll(e.currentTarget.checked)}
                />
              </th>
            </Show>
            <th scope="col">Name</th>
            <th scope="col">Phone</th>
            <th scope="col">Opt-in</th>
            <th scope="col">Labels</th>
            <th scope="col">Last message</th>
          </tr>
        </thead>
        <tbody>
          <Show when={top() > 0}>
            <tr class="spacer" style={{ height: `${top()}px` }}>
              <td colSpan={columns()} />
            </tr>
          </Show>
          <For each={virtualizer.getVirtualItems()}>
            {(row) => {
              const person = () => props.items[row.index]!;
              return (
                <Show when={props.items[row.index]}>
                  <tr aria-rowindex={row.index + 2} style={{ height: `${rowHeight}px` }}>
                    <Show when={props.selectable}>
                      <td class="pick">
                        <input
                          type="checkbox"
                          aria-label={`Select ${personName(person())}`}
                          checked={props.selected.has(person().id)}
                          onChange={(e) => props.onToggle(person().id, e.currentTarget.checked)}
                        />
                      </td>
                    </Show>
                    <td class="nowrap">
                      <A href={`/people/${person().id}`}>{person().name ?? 'No name'}</A>
                      <Show when={person().blocked}>
                        {' '}
                        <span class="badge bad">Blocked</span>
                      </Show>
                    </td>
                    <td class="mono nowrap">{person().phone}</td>
                    <td>{optInLabels[person().optIn]}</td>
                    <td class="labels-cell">
                      <For each={person().labels}>{(label) => <span class="tag">{label}</span>}</For>
                    </td>
                    <td class="nowrap">{formatTime(person().lastMessageReceivedAt)}</td>
                  </tr>
                </Show>
              );
            }}
          </For>
          <Show when={bottom() > 0}>
            <tr class="spacer" style={{ height: `${bottom()}px` }}>
              <td colSpan={columns()} />
            </tr>
          </Show>
        </tbody>
      </table>
    </section>
  );
}
