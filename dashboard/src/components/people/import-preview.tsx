import { For, Show } from 'solid-js';
import type { Outputs } from '../../lib/trpc.js';

type Preview = Outputs['imports']['preview'];

/** Step 3: the first rows as they would land, rows with errors highlighted with their reason. */
export function ImportPreview(props: { preview: Preview; columns: readonly string[] }) {
  const show = (value: unknown) =>
    value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
  return (
    <div class="stack">
      <p role="status">
        <strong>{props.preview.validRows.toLocaleString()}</strong> valid rows,{' '}
        <strong>{props.preview.invalidRows.toLocaleString()}</strong> with errors (reported by line; the valid
        ones still land).
      </p>
      <div class="table-wrap">
        <table>
          <caption>First rows</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Action</th>
              <For each={props.columns}>{(c) => <th scope="col">{c}</th>}</For>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.preview.rows}>
              {(row) => (
                <tr class={row.error ? 'row-error' : undefined}>
                  <td>{row.line}</td>
                  <td>{row.error ? 'skip' : row.action}</td>
                  <For each={props.columns}>{(c) => <td>{show(row.values[c])}</td>}</For>
                  <td>
                    <Show when={row.error}>
                      <span class="field-error">{row.error}</span>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}
