import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Show } from 'solid-js';
import type { BuilderNode, Condition } from '../../../engine/segments/segment-builder.schema.js';
import { conditionKinds, SegmentConditionRow } from '../components/segment-condition-row.js';
import { SegmentHistory } from '../components/segment-history.js';
import { SegmentPreviewPanel } from '../components/segment-preview-panel.js';
import { ErrorNote } from '../components/states.js';
import { createSegmentPreview } from '../lib/segment-preview.js';
import { trpc } from '../lib/trpc.js';

const isCondition = (n: BuilderNode): n is Condition => n.kind !== 'group' && n.kind !== 'not';

/**
 * A segment's editor: the builder (rows joined by AND or OR, each one negatable, or a query
 * such as `age > 18 AND district = "north"`) with its SQL beside it, or SQL directly.
 * Switching to SQL is one way. The count and first 50 people follow every change.
 */
export function SegmentEditorPage() {
  const params = useParams();
  const navigate = useNavigate();
  const id = () => (params.id && params.id !== 'new' ? params.id : null);
  const [fields] = createResource(() => trpc.segments.fields.query());
  const [saved] = createResource(id, (segmentId) => trpc.segments.get.query({ id: segmentId }));
  const [name, setName] = createSignal('');
  const [mode, setMode] = createSignal<'builder' | 'sql'>('builder');
  const [op, setOp] = createSignal<'and' | 'or'>('and');
  const [nodes, setNodes] = createSignal<BuilderNode[]>([]);
  const [sql, setSql] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [error, setError] = createSignal<unknown>();

  createEffect(() => {
    const s = saved();
    if (!s) return;
    setName(s.name);
    const builder = s.builder as { op: 'and' | 'or'; conditions: BuilderNode[] } | null;
    if (builder) {
      setOp(builder.op);
      setNodes(builder.conditions);
    } else {
      setMode('sql');
      setSql(s.sql);
    }
  });

  const definition = () =>
    mode() === 'sql'
      ? sql().trim() === ''
        ? null
        : { sql: sql() }
      : { builder: { kind: 'group' as const, op: op(), conditions: nodes() } };
  const live = createSegmentPreview(definition);

  const fieldOptions = () => fields() ?? [];
  const update = (index: number, node: BuilderNode) =>
    setNodes(nodes().map((n, i) => (i === index ? node : n)));
  const applyQuery = async () => {
    setError(undefined);
    try {
      const parsed = await trpc.segments.parseQuery.query({ text: query() });
      setOp(parsed.builder.op);
      setNodes(parsed.builder.conditions);
    } catch (caught) {
      setError(caught);
    }
  };
  const switchToSql = () => {
    if (!confirm('Switching to SQL is one way: the builder cannot read SQL back. Continue?')) return;
    setSql(live.preview()?.sql ?? '');
    setMode('sql');
  };
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const current = definition();
    if (!current) return;
    setError(undefined);
    try {
      const segmentId = id();
      const result = segmentId
        ? await trpc.segments.update.mutate({ id: segmentId, name: name(), definition: current })
        : await trpc.segments.create.mutate({ name: name(), definition: current });
      navigate(`/segments/${result.id}`, { replace: true });
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section class="page" aria-labelledby="segment-title">
      <header class="page-head">
        <h1 id="segment-title">{id() ? 'Segment' : 'New segment'}</h1>
        <A href="/segments">All segments</A>
      </header>
      <form class="card stack" onSubmit={save} aria-label="Segment">
        <label>
          Name
          <input
            name="name"
            required
            maxLength={200}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <Show
          when={mode() === 'builder'}
          fallback={
            <label>
              SQL (one SELECT returning contact_id)
              <textarea class="mono" rows={10} value={sql()} onInput={(e) => setSql(e.currentTarget.value)} />
            </label>
          }
        >
          <div class="row">
            <label>
              Query
              <input
                value={query()}
                placeholder='age > 18 AND district = "north"'
                onInput={(e) => setQuery(e.currentTarget.value)}
              />
            </label>
            <button type="button" class="secondary" onClick={applyQuery}>
              Use query
            </button>
          </div>
          <label>
            People matching
            <select value={op()} onChange={(e) => setOp(e.currentTarget.value as 'and' | 'or')}>
              <option value="and">all conditions (AND)</option>
              <option value="or">any condition (OR)</option>
            </select>
          </label>
          <For each={nodes()}>
            {(node, index) => (
              <div class="row">
                <Show
                  when={isCondition(node) || (node.kind === 'not' && isCondition(node.condition))}
                  fallback={<code>{JSON.stringify(node)}</code>}
                >
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={node.kind === 'not'}
                      onChange={(e) => {
                        const inner = node.kind === 'not' ? node.condition : node;
                        update(index(), e.currentTarget.checked ? { kind: 'not', condition: inner } : inner);
                      }}
                    />
                    NOT
                  </label>
                  <SegmentConditionRow
                    condition={(node.kind === 'not' ? node.condition : node) as Condition}
                    fields={fieldOptions()}
                    onChange={(c) => update(index(), node.kind === 'not' ? { kind: 'not', condition: c } : c)}
                  />
                </Show>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setNodes(nodes().filter((_, i) => i !== index()))}
                >
                  Remove
                </button>
              </div>
            )}
          </For>
          <div class="row">
            <button
              type="button"
              class="secondary"
              onClick={() => setNodes([...nodes(), conditionKinds[0]!.make(fieldOptions())])}
            >
              Add condition
            </button>
            <button type="button" class="secondary" onClick={switchToSql}>
              Switch to SQL
            </button>
          </div>
          <Show when={live.preview()?.sql}>
            {(text) => (
              <pre class="mono sql" data-testid="segment-sql">
                {text()}
              </pre>
            )}
          </Show>
        </Show>
        <ErrorNote error={error()} />
        <button type="submit">Save segment</button>
      </form>
      <SegmentPreviewPanel preview={live.preview()} error={live.error()} pending={live.pending()} />
      <Show when={id()}>{(segmentId) => <SegmentHistory id={segmentId()} />}</Show>
    </section>
  );
}
