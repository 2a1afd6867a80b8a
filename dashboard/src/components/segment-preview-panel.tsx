import { For, Show } from 'solid-js';
import type { Outputs } from '../lib/trpc.js';
import { errorMessage } from '../lib/trpc.js';

/** Count, freshness and the first 50 people of the segment being edited. */
export function SegmentPreviewPanel(props: {
  preview: Outputs['segments']['preview'] | undefined;
  error: unknown;
  pending: boolean;
}) {
  const position = () => {
    const data = (props.error as { data?: { position?: { line: number | null; column: number } | null } })
      ?.data;
    const at = data?.position;
    return at ? ` (line ${at.line ?? 1}, column ${at.column})` : '';
  };
  return (
    <section class="card stack" aria-label="Preview">
      <Show when={props.error}>
        <p class="error" role="alert">
          {errorMessage(props.error)}
          {position()}
        </p>
      </Show>
      <Show when={props.preview}>
        {(p) => (
          <>
            <p class="segment-count" aria-live="polite">
              <strong data-testid="segment-count">{p().count.toLocaleString()}</strong> people
              <span class="hint">
                {' '}
                · data as of {Math.round(p().lagSeconds)} s ago (log position {p().logPosition})
                {props.pending ? ' · updating…' : ''}
              </span>
            </p>
            <div class="table-wrap">
              <table>
                <caption>First {p().rows.length} people</caption>
                <thead>
                  <tr>
                    <th scope="col">Id</th>
                    <th scope="col">Name</th>
                    <th scope="col">WhatsApp id</th>
                    <th scope="col">Labels</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={p().rows}>
                    {(r) => (
                      <tr>
                        <td class="num">{r.contact_id}</td>
                        <td>{r.name ?? '—'}</td>
                        <td class="mono">{r.wa_id ?? '—'}</td>
                        <td>{r.labels.join(', ')}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
