import { Show } from 'solid-js';
import { Select, TextField } from '../../kit/fields.js';
import type { ReminderDraft } from '../../lib/reminder-draft.js';
import { createTemplatePreview } from '../../lib/template-preview.js';
import type { Outputs } from '../../lib/trpc.js';
import { TemplateBubble } from '../templates/template-bubble.js';

type Template = Outputs['templates']['list'][number];

/** Step 1: the reminder's name and an approved template, with the template as WhatsApp shows it. */
export function TemplateStep(props: {
  draft: ReminderDraft;
  patch: (change: Partial<ReminderDraft>) => void;
  templates: readonly Template[];
  error: (field: string) => string | undefined;
}) {
  const chosen = () => props.templates.find((t) => t.id === props.draft.templateId);
  const preview = createTemplatePreview(() => chosen()?.components ?? []);
  return (
    <div class="template-editor">
      <div class="stack">
        <TextField
          label="Reminder name"
          hint="(for you: people never see it)"
          required
          maxLength={200}
          value={props.draft.name}
          onInput={(e) => props.patch({ name: e.currentTarget.value })}
          error={props.error('name')}
        />
        <Show
          when={props.templates.length > 0}
          fallback={
            <p class="notice">
              No approved template yet: reminders start conversations with a template Meta has approved.
              Create one under <a href="/templates">Templates</a>.
            </p>
          }
        >
          <Select
            label="Template"
            hint="(approved by Meta)"
            placeholder="Choose a template"
            options={props.templates.map((t) => ({
              value: t.id,
              label: `${t.name} (${t.language}, ${t.category.toLowerCase()})`,
            }))}
            value={props.draft.templateId}
            onChange={(templateId) => props.patch({ templateId, variables: {}, headerLink: '' })}
            error={props.error('template.name')}
          />
        </Show>
        <Show when={chosen()?.category === 'MARKETING'}>
          <p class="hint">
            A marketing template is never sent to people who opted out of marketing messages.
          </p>
        </Show>
      </div>
      <aside class="template-side" aria-label="Preview">
        <Show when={chosen() && preview.rendered()}>
          {(rendered) => <TemplateBubble rendered={rendered()} />}
        </Show>
      </aside>
    </div>
  );
}
