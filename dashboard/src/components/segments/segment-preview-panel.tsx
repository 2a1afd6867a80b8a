import { Show } from 'solid-js';
import { DataTable } from '../../kit/data-table.js';
import { errorMessage, type Outputs } from '../../lib/trpc.js';

type Preview = Outputs['segments']['preview'];

/** Count, freshness and the first 50 people of the segment being edited. */
export function SegmentPreviewPanel(props: {
  preview: Preview | undefined;
  error: unknown;
  pending: boolean;
  /** Why there is nothing to count yet (a condition still being filled in). */
  incomplete?: string | undefined;
  /** Offered to members with pii.read: show the names and numbers (each reveal is logged). */
  reveal?: { shown: boolean; set(shown: boolean): void };
}) {
  const position = () => {
    const data = (props.error as { data?: { position?: { line: number | null; column: number } | null } })
      ?.data;
    const at = data?.position;
    return at ? ` (line ${at.line ?? 1}, column ${at.column})` : '';
  };
  return (
    <section class="card stack" aria-label="Preview">
      <Show when={props.incomplete && !props.error}>
        <p class="hint" data-testid="segment-incomplete">
          {props.incomplete}
        </p>
      </Show>
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
            <Show when={props.reveal}>
              {(reveal) => (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={reveal().shown}
                    onChange={(e) => reveal().set(e.currentTarget.checked)}
                  />{' '}
                  Show names and numbers (the reveal is logged)
                </label>
              )}
            </Show>
            <DataTable<Preview['rows'][number]>
              caption={`First ${p().rows.length} people`}
              what="people"
              rows={p().rows}
              empty={{ message: 'Nobody matches yet.' }}
              columns={[
                { id: 'id', label: 'Id', class: 'num', cell: (r) => r.contact_id },
                { id: 'name', label: 'Name', cell: (r) => r.name ?? '—' },
                { id: 'wa', label: 'WhatsApp id', class: 'mono', cell: (r) => r.wa_id ?? '—' },
                { id: 'labels', label: 'Labels', cell: (r) => r.labels.join(', ') },
              ]}
            />
          </>
        )}
      </Show>
    </section>
  );
}
