import { useNavigate } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { AudienceStep } from '../../components/reminders/audience-step.js';
import { ReviewStep } from '../../components/reminders/review-step.js';
import { ScheduleStep } from '../../components/reminders/schedule-step.js';
import { TemplateStep } from '../../components/reminders/template-step.js';
import { VariablesStep } from '../../components/reminders/variables-step.js';
import { createAction } from '../../kit/create-action.js';
import { fieldError } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { Page } from '../../kit/page.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import {
  emptyReminderDraft,
  fieldsOfStep,
  headerMedia,
  previewValues,
  type ReminderDraft,
  reminderInputOf,
  stepOfField,
  variableSlots,
} from '../../lib/reminder-draft.js';
import { fieldErrors, trpc } from '../../lib/trpc.js';

const steps = [
  { id: 'template', label: 'Template' },
  { id: 'audience', label: 'Audience' },
  { id: 'variables', label: 'Variables' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'review', label: 'Review' },
] as const;
type Step = (typeof steps)[number]['id'];

/**
 * Reminders → New: template → audience → variables → schedule → review with the estimate.
 * Nothing is checked twice: the server's reasons come back by field, and the wizard opens the
 * step that has the input, where the reason is shown.
 */
export function ReminderWizardPage() {
  const navigate = useNavigate();
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [draft, setDraft] = createSignal<ReminderDraft>(emptyReminderDraft(timezone));
  // A change answers the server's last reasons: they are about the draft as it was.
  const patch = (change: Partial<ReminderDraft>) => {
    setDraft({ ...draft(), ...change });
    create.clear();
  };
  const [step, setStep] = createSignal<Step>('template');
  const [templates] = createResource(async () =>
    (await trpc.templates.list.query()).filter((t) => t.status === 'APPROVED'),
  );
  const [segments] = createResource(() => trpc.segments.list.query());
  const [fields] = createResource(() => trpc.customFields.list.query());
  const template = () => templates.latest?.find((t) => t.id === draft().templateId);
  const slots = createMemo(() => {
    const t = template();
    return t ? variableSlots(t) : [];
  });
  const media = () => {
    const t = template();
    return t ? headerMedia(t) : null;
  };
  const input = createMemo(() => {
    const t = template();
    return t ? reminderInputOf(draft(), t) : undefined;
  });

  const create = createAction(
    (scheduleNow: boolean) => trpc.reminders.create.mutate({ ...input()!, schedule_now: scheduleNow }),
    {
      success: (r) =>
        r.state === 'draft'
          ? `Reminder ${r.name} saved as a draft`
          : r.schedule.kind === 'now'
            ? `Reminder ${r.name} is sending`
            : `Reminder ${r.name} scheduled`,
      after: (r) => navigate(`/reminders/${r.id}`),
    },
  );
  const save = async (scheduleNow: boolean) => {
    const done = await create.run(scheduleNow);
    const first = fieldErrors(create.error())[0];
    if (!done && first) setStep(stepOfField(first.field));
  };
  const error = (path: string) => fieldError(create.error(), path);

  // What each step needs before the next one makes sense; the server checks the rest.
  const missing = (): string | undefined => {
    const d = draft();
    switch (step()) {
      case 'template':
        return !d.name.trim() ? 'Name the reminder.' : !template() ? 'Choose a template.' : undefined;
      case 'audience':
        return d.audience === 'segment'
          ? d.segmentId
            ? undefined
            : 'Choose a segment.'
          : d.listedIds.length > 0
            ? undefined
            : 'Find the people of the list first.';
      default:
        return undefined;
    }
  };
  const index = () => steps.findIndex((s) => s.id === step());
  const go = (offset: number) => setStep(steps[index() + offset]!.id);
  const audienceLabel = () => {
    const d = draft();
    if (d.audience === 'list') return `A list of ${d.listedIds.length.toLocaleString()} people`;
    const segment = segments.latest?.find((s) => s.id === d.segmentId);
    return segment ? `Segment ${segment.name} (counted again when sent)` : '—';
  };
  const sendLabel = () => (draft().schedule === 'now' ? 'Send now' : 'Schedule');

  return (
    <Page
      title="New reminder"
      breadcrumbs={[{ href: '/reminders', label: 'Reminders' }]}
      description="An approved template to a segment or a list: now, later, on a schedule or at each person's local time."
    >
      <ol class="steps" aria-label="Steps">
        <For each={steps}>
          {(s) => <li aria-current={step() === s.id ? 'step' : undefined}>{s.label}</li>}
        </For>
      </ol>
      <Show
        when={!templates.error && !segments.error && !fields.error}
        fallback={<ErrorNote error={templates.error ?? segments.error ?? fields.error} />}
      >
        <Show
          when={templates.latest && segments.latest && fields.latest}
          fallback={<Loading what="templates and segments" />}
        >
          <form
            class="card stack"
            aria-label="Reminder"
            onSubmit={(e) => {
              e.preventDefault();
              if (!missing() && step() !== 'review') go(1);
            }}
          >
            <Switch>
              <Match when={step() === 'template'}>
                <TemplateStep draft={draft()} patch={patch} templates={templates.latest!} error={error} />
              </Match>
              <Match when={step() === 'audience'}>
                <AudienceStep draft={draft()} patch={patch} segments={segments.latest!} error={error} />
              </Match>
              <Match when={step() === 'variables'}>
                <VariablesStep
                  draft={draft()}
                  patch={patch}
                  slots={slots()}
                  media={media()}
                  fields={fields.latest!}
                  error={error}
                />
              </Match>
              <Match when={step() === 'schedule'}>
                <ScheduleStep draft={draft()} patch={patch} error={error} />
              </Match>
              <Match when={step() === 'review' && input()}>
                {(ready) => (
                  <ReviewStep
                    preview={{
                      id: template()!.id,
                      values: previewValues(
                        draft(),
                        template()!,
                        new Map((fields.latest ?? []).map((f) => [f.key, f.name])),
                      ),
                    }}
                    input={ready()}
                    templateLabel={`${template()!.name} (${template()!.language})`}
                    audienceLabel={audienceLabel()}
                  />
                )}
              </Match>
            </Switch>
            <FormError error={create.error()} shown={fieldsOfStep[step()] ?? []} />
            <Show when={missing()}>{(why) => <p class="hint">{why()}</p>}</Show>
            <div class="row">
              <Show when={index() > 0}>
                <button type="button" class="secondary" onClick={() => go(-1)}>
                  Back
                </button>
              </Show>
              <Show
                when={step() === 'review'}
                fallback={
                  <button type="submit" disabled={missing() !== undefined}>
                    Next
                  </button>
                }
              >
                <button
                  type="button"
                  class="secondary"
                  disabled={create.pending()}
                  onClick={() => void save(false)}
                >
                  Save as draft
                </button>
                <button type="button" disabled={create.pending()} onClick={() => void save(true)}>
                  {sendLabel()}
                </button>
              </Show>
            </div>
          </form>
        </Show>
      </Show>
    </Page>
  );
}
