import { useNavigate, useParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, createUniqueId, Show } from 'solid-js';
import { SampleValues } from '../../components/templates/sample-values.js';
import { TemplateBubble } from '../../components/templates/template-bubble.js';
import { TemplateButtonsEditor } from '../../components/templates/template-buttons-editor.js';
import { TemplateStatus } from '../../components/templates/template-status.js';
import { createAction } from '../../kit/create-action.js';
import { Field, fieldError, Select, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { Page } from '../../kit/page.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import {
  type Category,
  type ComponentIndex,
  draftOf,
  emptyDraft,
  type HeaderFormat,
  type ParameterFormat,
  type TemplateDraft,
  templateComponents,
} from '../../lib/template-draft.js';
import { createTemplatePreview } from '../../lib/template-preview.js';
import { fieldErrors, trpc } from '../../lib/trpc.js';

const categories = [
  { value: 'UTILITY', label: 'Utility' },
  { value: 'MARKETING', label: 'Marketing' },
  { value: 'AUTHENTICATION', label: 'Authentication' },
];
const formats = [
  { value: 'positional', label: 'Numbered: {{1}}, {{2}}' },
  { value: 'named', label: 'Named: {{first_name}}' },
];
const headerFormats = [
  { value: 'NONE', label: 'None' },
  { value: 'TEXT', label: 'Text' },
  { value: 'IMAGE', label: 'Image' },
  { value: 'VIDEO', label: 'Video' },
  { value: 'DOCUMENT', label: 'Document' },
  { value: 'LOCATION', label: 'Location' },
];

/**
 * A template's editor (new, or an existing one: Meta lets category and content change, not
 * name, language or variable style). The preview beside it follows every change; Meta's rules
 * are checked by the server before anything reaches Meta, and each broken rule is shown at its
 * input: the server names fields by component position (`components[1].text`), which
 * `templateComponents` maps back to the part of the form.
 */
export function TemplateEditorPage() {
  const params = useParams();
  const navigate = useNavigate();
  const id = () => (params.id && params.id !== 'new' ? params.id : null);
  const [saved] = createResource(id, (templateId) => trpc.templates.get.query({ id: templateId }));
  const [draft, setDraft] = createSignal<TemplateDraft>(emptyDraft());
  const patch = (change: Partial<TemplateDraft>) => setDraft({ ...draft(), ...change });
  createEffect(() => {
    const t = saved();
    if (t) setDraft(draftOf(t));
  });
  const built = createMemo(() => templateComponents(draft()));
  const preview = createTemplatePreview(() => built().components);

  // Where each part was in the components last submitted: the server's field names point
  // there, and adding a header meanwhile must not move the body's error onto it.
  const [submitted, setSubmitted] = createSignal<ComponentIndex>({});
  const save = createAction(
    () => {
      const d = draft();
      const templateId = id();
      const { components, at } = built();
      setSubmitted(at);
      return templateId
        ? trpc.templates.update.mutate({ id: templateId, category: d.category, components })
        : trpc.templates.create.mutate({
            name: d.name,
            language: d.language,
            category: d.category,
            parameter_format: d.parameterFormat,
            components,
          });
    },
    {
      success: (t) => `Template ${t.name} submitted to Meta for review`,
      after: () => navigate('/templates'),
    },
  );
  const error = (path: string) => fieldError(save.error(), path);
  const exactError = (path: string) => fieldErrors(save.error()).find((f) => f.field === path)?.reason;
  const partError = (part: keyof ComponentIndex, path: string) => {
    const index = submitted()[part];
    return index === undefined ? undefined : error(`components[${index}]${path}`);
  };
  const shown = () => [
    'name',
    'language',
    'category',
    'parameter_format',
    ...Object.values(submitted()).map((i) => `components[${i}]`),
  ];
  const auth = () => draft().category === 'AUTHENTICATION';
  const editing = () => id() !== null;
  const bodyId = createUniqueId();

  return (
    <Page
      title={editing() ? (saved()?.name ?? 'Template') : 'New template'}
      breadcrumbs={[{ href: '/templates', label: 'Templates' }]}
      description={
        editing()
          ? 'Saving sends the template back to Meta for review.'
          : 'Meta reviews a new template, usually within minutes, before it can be sent.'
      }
    >
      <Show when={!saved.error} fallback={<ErrorNote error={saved.error} />}>
        <Show when={!editing() || saved()} fallback={<Loading what="the template" />}>
          <Show when={saved()}>
            {(t) => (
              <p data-testid="template-status">
                Status: <TemplateStatus template={t()} />
              </p>
            )}
          </Show>
          <div class="template-editor">
            <form
              class="card stack"
              aria-label="Template"
              onSubmit={(e) => {
                e.preventDefault();
                void save.run();
              }}
            >
              <div class="row">
                <TextField
                  label="Name"
                  hint="(lowercase letters, digits and _)"
                  required
                  disabled={editing()}
                  value={draft().name}
                  onInput={(e) => patch({ name: e.currentTarget.value })}
                  error={error('name')}
                />
                <TextField
                  label="Language"
                  hint="(Meta's code: en, en_US, pt_BR…)"
                  required
                  disabled={editing()}
                  value={draft().language}
                  onInput={(e) => patch({ language: e.currentTarget.value })}
                  error={error('language')}
                />
              </div>
              <div class="row">
                <Select
                  label="Category"
                  options={categories}
                  value={draft().category}
                  onChange={(category) => patch({ category: category as Category })}
                  error={error('category')}
                />
                <Select
                  label="Variables"
                  options={formats}
                  value={draft().parameterFormat}
                  disabled={editing()}
                  onChange={(format) => patch({ parameterFormat: format as ParameterFormat })}
                  error={error('parameter_format')}
                />
              </div>
              <Show when={!auth()}>
                <Select
                  label="Header"
                  options={headerFormats}
                  value={draft().header.format}
                  onChange={(format) =>
                    patch({ header: { ...draft().header, format: format as HeaderFormat } })
                  }
                />
                <Show when={draft().header.format === 'TEXT'}>
                  <TextField
                    label="Header text"
                    hint="(up to 60 characters, one variable at most)"
                    maxLength={60}
                    value={draft().header.text}
                    onInput={(e) => patch({ header: { ...draft().header, text: e.currentTarget.value } })}
                    error={partError('header', '.text')}
                  />
                  <SampleValues
                    what="Header"
                    text={draft().header.text}
                    samples={draft().header.samples}
                    onChange={(samples) => patch({ header: { ...draft().header, samples } })}
                    error={partError('header', '.example')}
                  />
                </Show>
                <Show when={['IMAGE', 'VIDEO', 'DOCUMENT'].includes(draft().header.format)}>
                  <TextField
                    label="Example media handle"
                    hint="(from Meta's Resumable Upload API, shown to reviewers)"
                    value={draft().header.handle}
                    onInput={(e) => patch({ header: { ...draft().header, handle: e.currentTarget.value } })}
                    error={partError('header', '.example')}
                  />
                </Show>
              </Show>
              <Show
                when={!auth()}
                fallback={
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={draft().securityRecommendation}
                      onChange={(e) => patch({ securityRecommendation: e.currentTarget.checked })}
                    />
                    Add “For your security, do not share this code.”
                  </label>
                }
              >
                <Field
                  id={bodyId}
                  label="Body"
                  hint="(up to 1,024 characters; variables like {{1}}, not first or last)"
                  error={partError('body', '.text')}
                >
                  <textarea
                    id={bodyId}
                    rows={5}
                    maxLength={1024}
                    value={draft().body}
                    aria-invalid={partError('body', '.text') ? true : undefined}
                    aria-describedby={partError('body', '.text') ? `${bodyId}-error` : undefined}
                    onInput={(e) => patch({ body: e.currentTarget.value })}
                  />
                </Field>
                <SampleValues
                  what="Body"
                  text={draft().body}
                  samples={draft().samples}
                  onChange={(samples) => patch({ samples })}
                  error={partError('body', '.example')}
                />
              </Show>
              <Show
                when={!auth()}
                fallback={
                  <TextField
                    label="Code expires after (minutes)"
                    hint="(optional, 1 to 90)"
                    type="number"
                    min={1}
                    max={90}
                    value={draft().codeExpiration}
                    onInput={(e) => patch({ codeExpiration: e.currentTarget.value })}
                    error={partError('footer', '.code_expiration_minutes')}
                  />
                }
              >
                <TextField
                  label="Footer"
                  hint="(optional, up to 60 characters, no variables)"
                  maxLength={60}
                  value={draft().footer}
                  onInput={(e) => patch({ footer: e.currentTarget.value })}
                  error={partError('footer', '.text')}
                />
              </Show>
              <TemplateButtonsEditor
                category={draft().category}
                buttons={draft().buttons}
                onChange={(buttons) => patch({ buttons })}
                error={(path) => partError('buttons', `.buttons${path}`)}
                listError={
                  submitted().buttons === undefined
                    ? undefined
                    : exactError(`components[${submitted().buttons}].buttons`)
                }
              />
              <FormError error={save.error()} shown={shown()} />
              <button type="submit" disabled={save.pending()}>
                {editing() ? 'Save and resubmit' : 'Submit for review'}
              </button>
            </form>
            <aside class="template-side" aria-label="Preview">
              <Show when={preview.rendered()} fallback={<Loading what="the preview" />}>
                {(rendered) => <TemplateBubble rendered={rendered()} />}
              </Show>
              <ErrorNote error={preview.error()} />
            </aside>
          </div>
        </Show>
      </Show>
    </Page>
  );
}
