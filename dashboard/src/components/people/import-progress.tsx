import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { Empty, ErrorNote, Loading } from '../../kit/states.js';
import type { Import } from '../../lib/people.js';
import { trpc } from '../../lib/trpc.js';

const pollMs = 700;

/** Steps 4 and 5: a progress bar that follows the background job, then the summary and every invalid line. */
export function ImportProgress(props: { started: Import }) {
  const [job, setJob] = createSignal<Import>(props.started);
  const [error, setError] = createSignal<unknown>();
  const finished = () => job().status === 'done' || job().status === 'failed';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    try {
      setJob(await trpc.imports.get.query({ id: props.started.id }));
      setError(undefined);
    } catch (caught) {
      setError(caught);
    }
    if (!finished()) timer = setTimeout(poll, pollMs);
  };
  onMount(() => {
    if (!finished()) timer = setTimeout(poll, pollMs);
  });
  onCleanup(() => clearTimeout(timer));
  const percent = () => (job().totalRows > 0 ? Math.floor((job().processedRows / job().totalRows) * 100) : 0);
  return (
    <div class="stack">
      <label>
        <span>
          <strong>
            {job().status === 'done' ? 'Done' : job().status === 'failed' ? 'Failed' : 'Importing…'}
          </strong>{' '}
          <span class="hint">
            {job().processedRows.toLocaleString()} of {job().totalRows.toLocaleString()} rows
          </span>
        </span>
        <progress max={100} value={percent()} aria-valuetext={`${percent()}%`}>
          {percent()}%
        </progress>
      </label>
      <ErrorNote error={error()} />
      <Show when={job().status === 'failed'}>
        <div class="error" role="alert">
          <p>{job().error ?? 'The import failed.'}</p>
        </div>
      </Show>
      <Show when={finished()}>
        <dl aria-label="Import summary">
          <dt>Created</dt>
          <dd>{job().createdCount.toLocaleString()}</dd>
          <dt>Updated</dt>
          <dd>{job().updatedCount.toLocaleString()}</dd>
          <dt>Unchanged</dt>
          <dd>{job().skippedCount.toLocaleString()}</dd>
          <dt>Invalid</dt>
          <dd>{job().invalidCount.toLocaleString()}</dd>
        </dl>
        <Show when={job().invalidCount > 0}>
          <InvalidLines importId={job().id} />
        </Show>
      </Show>
    </div>
  );
}

/** Every invalid line with its reason, a page at a time (imports.errors, keyset on the line). */
function InvalidLines(props: { importId: string }) {
  const [more, setMore] = createSignal<{ line: number; reason: string }[]>([]);
  const [first] = createResource(() => trpc.imports.errors.query({ id: props.importId, limit: 200 }));
  const [error, setError] = createSignal<unknown>();
  const all = () => [...(first() ?? []), ...more()];
  const [exhausted, setExhausted] = createSignal(false);
  const loadMore = async () => {
    const last = all().at(-1);
    try {
      const page = await trpc.imports.errors.query({
        id: props.importId,
        afterLine: last?.line ?? 0,
        limit: 200,
      });
      setMore([...more(), ...page]);
      if (page.length < 200) setExhausted(true);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section aria-labelledby="invalid-title">
      <h2 id="invalid-title">Invalid lines</h2>
      <Show when={!first.error} fallback={<ErrorNote error={first.error} />}>
        <Show when={first()} fallback={<Loading what="invalid lines" />}>
          <Show when={all().length > 0} fallback={<Empty>No invalid lines.</Empty>}>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Invalid lines</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={all()}>
                    {(e) => (
                      <tr>
                        <td>{e.line}</td>
                        <td>{e.reason}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Show when={!exhausted() && all().length % 200 === 0}>
              <button type="button" class="secondary" onClick={loadMore}>
                Show more
              </button>
            </Show>
          </Show>
        </Show>
      </Show>
      <ErrorNote error={error()} />
    </section>
  );
}
