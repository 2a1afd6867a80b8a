import { A } from '@solidjs/router';
import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { ImportMapping, type ImportSettings } from '../../components/people/import-mapping.js';
import { ImportPreview } from '../../components/people/import-preview.js';
import { ImportProgress } from '../../components/people/import-progress.js';
import { createAction } from '../../kit/create-action.js';
import { Page } from '../../kit/page.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import { type UploadedImport, uploadImport } from '../../lib/import-upload.js';
import type { Import } from '../../lib/people.js';
import { session } from '../../lib/session.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Step = 'choose' | 'map' | 'preview' | 'run';

/**
 * People → Import: choose a CSV → upload → map columns → preview → start → progress →
 * summary with every invalid line. Rows are matched by BSUID first, then by phone (normalised to
 * E.164), as the server's resolver does.
 */
export function ImportPage() {
  const [step, setStep] = createSignal<Step>('choose');
  const [file, setFile] = createSignal<File>();
  const [uploaded, setUploaded] = createSignal<UploadedImport>();
  const [settings, setSettings] = createSignal<ImportSettings>({
    mapping: {},
    mode: 'both',
    defaultCountry: 'ZA',
  });
  const [preview, setPreview] = createSignal<Outputs['imports']['preview']>();
  const [started, setStarted] = createSignal<Import>();
  const [fields, { refetch: refetchFields }] = createResource(() => trpc.customFields.list.query());
  const upload = createAction((chosen: File) => uploadImport(chosen), {
    success: (answer) => `Uploaded: ${answer.rows.toLocaleString()} rows`,
    after: (answer) => {
      setUploaded(answer);
      setSettings({ ...settings(), mapping: answer.suggestedMapping });
      setStep('map');
    },
  });
  const request = () => ({ id: uploaded()!.id, ...settings() });
  const showPreview = createAction(() => trpc.imports.preview.query(request()), {
    success: (p) => `${p.validRows.toLocaleString()} rows ready to import`,
    after: (p) => {
      setPreview(p);
      setStep('preview');
    },
  });
  const start = createAction(() => trpc.imports.start.mutate(request()), {
    success: 'Import started',
    after: (job) => {
      setStarted(job);
      setStep('run');
    },
  });
  const busy = () => upload.pending() || showPreview.pending() || start.pending();
  const error = () => upload.error() ?? showPreview.error() ?? start.error();
  const mapped = () => Object.values(settings().mapping).filter((k): k is string => !!k);
  const hasPhone = () => mapped().includes('phone') || mapped().includes('bsuid');
  return (
    <Page title="Import people from CSV" breadcrumbs={[{ href: '/people', label: 'People' }]}>
      <ol class="steps" aria-label="Steps">
        <li aria-current={step() === 'choose' ? 'step' : undefined}>File</li>
        <li aria-current={step() === 'map' ? 'step' : undefined}>Columns</li>
        <li aria-current={step() === 'preview' ? 'step' : undefined}>Preview</li>
        <li aria-current={step() === 'run' ? 'step' : undefined}>Import</li>
      </ol>
      <ErrorNote error={error()} />
      <Switch>
        <Match when={step() === 'choose'}>
          <form
            class="card stack"
            aria-label="Choose a file"
            onSubmit={(e) => {
              e.preventDefault();
              const chosen = file();
              if (chosen) void upload.run(chosen);
            }}
          >
            <label>
              <span>
                CSV file{' '}
                <span class="hint">
                  (UTF-8, a header row, up to 50 MB; a phone or BSUID column is required)
                </span>
              </span>
              <input
                type="file"
                accept=".csv,text/csv"
                required
                onChange={(e) => setFile(e.currentTarget.files?.[0])}
              />
            </label>
            <button type="submit" disabled={busy() || !file()}>
              {busy() ? 'Uploading…' : 'Upload'}
            </button>
          </form>
        </Match>
        <Match when={step() === 'map' && uploaded()}>
          {(up) => (
            <div class="card stack">
              <p>
                <strong>{file()?.name}</strong>: {up().rows.toLocaleString()} rows, {up().headers.length}{' '}
                columns.
              </p>
              <Show when={fields.latest} fallback={<Loading what="fields" />}>
                {(list) => (
                  <ImportMapping
                    headers={up().headers}
                    fields={list()}
                    value={settings()}
                    onChange={setSettings}
                    onFieldCreated={async () => {
                      await refetchFields();
                    }}
                    canCreateFields={session.can('settings.manage')}
                  />
                )}
              </Show>
              <Show when={!hasPhone()}>
                <p class="field-error">
                  Map one column to Phone or BSUID: people are matched by BSUID, then phone.
                </p>
              </Show>
              <div class="row">
                <button type="button" disabled={busy() || !hasPhone()} onClick={() => void showPreview.run()}>
                  Preview
                </button>
              </div>
            </div>
          )}
        </Match>
        <Match when={step() === 'preview' && preview()}>
          {(p) => (
            <div class="card stack">
              <ImportPreview preview={p()} columns={mapped()} />
              <div class="row">
                <button type="button" class="secondary" disabled={busy()} onClick={() => setStep('map')}>
                  Back to columns
                </button>
                <button
                  type="button"
                  disabled={busy() || p().validRows === 0}
                  onClick={() => void start.run()}
                >
                  Start import
                </button>
              </div>
            </div>
          )}
        </Match>
        <Match when={step() === 'run' && started()}>
          {(job) => (
            <div class="card stack">
              <ImportProgress started={job()} />
              <p>
                <A href="/people">See people</A>
              </p>
            </div>
          )}
        </Match>
      </Switch>
    </Page>
  );
}
