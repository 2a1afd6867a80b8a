import { useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, Show } from 'solid-js';
import type { BuilderGroup } from '../../../../engine/segments/segment-builder.schema.js';
import { SegmentGroupEditor } from '../../components/segments/segment-group-editor.js';
import { SegmentHistory } from '../../components/segments/segment-history.js';
import { SegmentPreviewPanel } from '../../components/segments/segment-preview-panel.js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { Page } from '../../kit/page.js';
import { ErrorNote } from '../../kit/states.js';
import { createSegmentPreview } from '../../lib/segment-preview.js';
import { session } from '../../lib/session.js';
import { trpc } from '../../lib/trpc.js';

/**
 * A segment's editor: the builder (conditions and nested groups joined by AND or OR, each one
 * negatable, or a query such as `age > 18 AND (district = "north" OR district = "east")`) with
 * its SQL beside it, or SQL directly.
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
  const [root, setRoot] = createSignal<BuilderGroup>({ kind: 'group', op: 'and', conditions: [] });
  const [sql, setSql] = createSignal('');
  const [query, setQuery] = createSignal('');

  createEffect(() => {
    const s = saved();
    if (!s) return;
    setName(s.name);
    const builder = s.builder as BuilderGroup | null;
    if (builder) {
      setRoot({ kind: 'group', op: builder.op, conditions: builder.conditions });
    } else {
      setMode('sql');
      setSql(s.sql);
    }
  });

  const definition = () =>
    mode() === 'sql' ? (sql().trim() === '' ? null : { sql: sql() }) : { builder: root() };
  const [revealed, setRevealed] = createSignal(false);
  const live = createSegmentPreview(definition, revealed);

  const fieldOptions = () => fields() ?? [];
  const applyQuery = createAction(() => trpc.segments.parseQuery.query({ text: query() }), {
    success: 'Query turned into conditions',
    after: (parsed) =>
      setRoot({ kind: 'group', op: parsed.builder.op, conditions: parsed.builder.conditions }),
  });
  const switchToSql = async () => {
    const ok = await confirmAction({
      title: 'Switch to SQL?',
      message: 'Switching is one way: the builder cannot read SQL back.',
      confirmLabel: 'Switch to SQL',
    });
    if (!ok) return;
    setSql(live.preview()?.sql ?? '');
    setMode('sql');
  };
  const saveAction = createAction(
    (current: NonNullable<ReturnType<typeof definition>>) => {
      const segmentId = id();
      return segmentId
        ? trpc.segments.update.mutate({ id: segmentId, name: name(), definition: current })
        : trpc.segments.create.mutate({ name: name(), definition: current });
    },
    {
      success: 'Segment saved',
      after: (result) => navigate(`/segments/${result.id}`, { replace: true }),
    },
  );
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const current = definition();
    if (current) void saveAction.run(current);
  };
  const error = () => applyQuery.error() ?? saveAction.error();

  return (
    <Page title={id() ? 'Segment' : 'New segment'} breadcrumbs={[{ href: '/segments', label: 'Segments' }]}>
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
            <button type="button" class="secondary" onClick={() => void applyQuery.run()}>
              Use query
            </button>
          </div>
          <SegmentGroupEditor group={root()} fields={fieldOptions()} onChange={setRoot} />
          <div class="row">
            <button type="button" class="secondary" onClick={() => void switchToSql()}>
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
      <SegmentPreviewPanel
        preview={live.preview()}
        error={live.error()}
        pending={live.pending()}
        incomplete={live.incomplete()}
        reveal={session.can('pii.read') ? { shown: revealed(), set: setRevealed } : undefined}
      />
      <Show when={id()}>{(segmentId) => <SegmentHistory id={segmentId()} />}</Show>
    </Page>
  );
}
