import { createVirtualizer } from '@tanstack/solid-virtual';
import { createEffect, createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import { Empty, ErrorNote, Loading } from './states.js';

export interface Column<T> {
  id: string;
  /** The header's text; on a phone, also each cell's label in the stacked card. */
  label: string;
  /** A header other than the label (a select-all checkbox); the label stays its name. */
  header?: () => JSX.Element;
  cell: (row: T) => JSX.Element;
  /** Makes the column sortable by this order (ascending). */
  sort?: (a: T, b: T) => number;
  class?: string;
}

/** Lists longer than this render only the rows in view. */
const virtualFrom = 150;
const estimatedRowHeight = 45;

/**
 * A table in its four states: the error with a retry, loading (`rows` undefined), empty (a
 * message and a call to action), and the rows, sortable by column. Long lists render only the
 * rows in view (a spacer above and below keeps the scroll height), and nearing the end calls
 * `onNearEnd` to load more. On a phone each row becomes a card of label: value lines instead
 * of a table that scrolls sideways (the CSS reads each cell's data-label).
 */
export function DataTable<T>(props: {
  caption: string;
  captionHidden?: boolean;
  columns: Column<T>[];
  rows: readonly T[] | undefined;
  error?: unknown;
  retry?: () => void;
  /** Used in "Loading members…". */
  what: string;
  empty: { message: JSX.Element; action?: JSX.Element };
  rowClass?: (row: T) => string | undefined;
  /** A full-width row under a row (an inline editor), or nothing. */
  detail?: (row: T) => JSX.Element | undefined;
  /** The total when only some rows are loaded (for aria-rowcount). */
  total?: number;
  onNearEnd?: () => void;
}) {
  const [sortBy, setSortBy] = createSignal<{ id: string; dir: 1 | -1 }>();
  const sorted = createMemo(() => {
    const rows = props.rows ?? [];
    const by = sortBy();
    const column = by && props.columns.find((c) => c.id === by.id);
    if (!by || !column?.sort) return rows;
    const compare = column.sort;
    return [...rows].sort((a, b) => compare(a, b) * by.dir);
  });
  const virtual = () => sorted().length > virtualFrom || props.onNearEnd !== undefined;
  let scroller: HTMLElement | undefined;
  const virtualizer = createVirtualizer({
    get count() {
      return virtual() ? sorted().length : 0;
    },
    getScrollElement: () => scroller ?? null,
    estimateSize: () => estimatedRowHeight,
    overscan: 12,
  });
  createEffect(() => {
    const last = virtualizer.getVirtualItems().at(-1);
    if (last && last.index >= sorted().length - 40) props.onNearEnd?.();
  });
  // The rows themselves (not wrappers), so For keeps each row's elements while scrolling.
  const position = createMemo(() => new Map(sorted().map((row, index) => [row, index])));
  const visible = () =>
    virtual() ? virtualizer.getVirtualItems().map((item) => sorted()[item.index]!) : sorted();
  const top = () => (virtual() ? (virtualizer.getVirtualItems()[0]?.start ?? 0) : 0);
  const bottom = () =>
    virtual() ? virtualizer.getTotalSize() - (virtualizer.getVirtualItems().at(-1)?.end ?? 0) : 0;
  const toggleSort = (id: string) => {
    const by = sortBy();
    setSortBy(by?.id === id ? (by.dir === 1 ? { id, dir: -1 } : undefined) : { id, dir: 1 });
  };
  const ariaSort = (id: string) => {
    const by = sortBy();
    return by?.id === id ? (by.dir === 1 ? 'ascending' : 'descending') : undefined;
  };
  return (
    <Show when={!props.error} fallback={<ErrorNote error={props.error} retry={props.retry} />}>
      <Show when={props.rows} fallback={<Loading what={props.what} />}>
        <Show
          when={sorted().length > 0}
          fallback={<Empty action={props.empty.action}>{props.empty.message}</Empty>}
        >
          <section
            class={`table-wrap data-table${virtual() ? ' virtual-scroll' : ''}`}
            ref={scroller}
            tabindex={virtual() ? 0 : undefined}
            aria-label={virtual() ? `${props.caption} list` : undefined}
          >
            <table aria-rowcount={virtual() ? (props.total ?? sorted().length) + 1 : undefined}>
              <caption class={props.captionHidden ? 'visually-hidden' : undefined}>{props.caption}</caption>
              <thead>
                <tr aria-rowindex={virtual() ? 1 : undefined}>
                  <For each={props.columns}>
                    {(column) => (
                      <th scope="col" class={column.class} aria-sort={ariaSort(column.id)}>
                        <Show when={column.sort} fallback={column.header ? column.header() : column.label}>
                          <button type="button" class="sort" onClick={() => toggleSort(column.id)}>
                            {column.label}
                            <span aria-hidden="true">
                              {ariaSort(column.id) === 'ascending'
                                ? ' ▲'
                                : ariaSort(column.id) === 'descending'
                                  ? ' ▼'
                                  : ''}
                            </span>
                          </button>
                        </Show>
                      </th>
                    )}
                  </For>
                </tr>
              </thead>
              <tbody>
                <Show when={top() > 0}>
                  <tr class="spacer" style={{ height: `${top()}px` }}>
                    <td colSpan={props.columns.length} />
                  </tr>
                </Show>
                <For each={visible()}>
                  {(row) => (
                    <>
                      <tr
                        class={props.rowClass?.(row)}
                        aria-rowindex={virtual() ? (position().get(row) ?? 0) + 2 : undefined}
                        data-index={position().get(row)}
                        ref={(el) => {
                          if (virtual()) queueMicrotask(() => virtualizer.measureElement(el));
                        }}
                      >
                        <For each={props.columns}>
                          {(column) => (
                            <td class={column.class} data-label={column.label}>
                              {column.cell(row)}
                            </td>
                          )}
                        </For>
                      </tr>
                      <Show when={props.detail?.(row)}>
                        {(detail) => (
                          <tr class="detail">
                            <td colSpan={props.columns.length}>{detail()}</td>
                          </tr>
                        )}
                      </Show>
                    </>
                  )}
                </For>
                <Show when={bottom() > 0}>
                  <tr class="spacer" style={{ height: `${bottom()}px` }}>
                    <td colSpan={props.columns.length} />
                  </tr>
                </Show>
              </tbody>
            </table>
          </section>
        </Show>
      </Show>
    </Show>
  );
}
