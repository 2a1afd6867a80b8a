import type { ReminderInput, Schedule } from '../../../engine/reminders/reminder.schema.js';
import { variableKeys } from './template-draft.js';

/** Where one template variable's value comes from, as the wizard's row edits it. */
export interface VariableDraft {
  from: 'name' | 'field' | 'text';
  /** The custom field's key (from: field). */
  key: string;
  /** Used when the person's value is empty (from: name, field). */
  fallback: string;
  /** The same text for everyone (from: text). */
  value: string;
}

export type ScheduleKind = Schedule['kind'];

/** The reminder wizard's state: every step's inputs as the form holds them (strings). */
export interface ReminderDraft {
  name: string;
  templateId: string;
  audience: 'segment' | 'list';
  segmentId: string;
  /** The uploaded list's people, once the server has found them. */
  listedIds: string[];
  variables: Record<string, VariableDraft>;
  schedule: ScheduleKind;
  /** A datetime-local value, read in the browser's timezone (schedule: at). */
  at: string;
  cron: string;
  timezone: string;
  localDate: string;
  localTime: string;
  skipRecentDays: string;
  stopWhenEmpty: boolean;
}

/** The part of an approved template the wizard needs. */
export interface TemplateChoice {
  name: string;
  language: string;
  category: string;
  parameterFormat: 'positional' | 'named';
  components: readonly { type: string; text?: string }[];
}

export function emptyReminderDraft(timezone: string): ReminderDraft {
  return {
    name: '',
    templateId: '',
    audience: 'segment',
    segmentId: '',
    listedIds: [],
    variables: {},
    schedule: 'now',
    at: '',
    cron: '0 9 * * 1',
    timezone,
    localDate: '',
    localTime: '09:00',
    skipRecentDays: '0',
    stopWhenEmpty: false,
  };
}

/** The body's variables, in the order the send fills them ({{1}}, {{2}}…, or by name). */
export function bodyVariables(template: TemplateChoice): string[] {
  const body = template.components.find((c) => c.type === 'BODY');
  return body?.text ? variableKeys(body.text) : [];
}

const emptyVariable = (): VariableDraft => ({ from: 'name', key: '', fallback: '', value: '' });

/**
 * The reminder as the server takes it. Values the form cannot yet express (an empty time)
 * pass through as they are, so the server's reason for them lands at the right input.
 */
export function reminderInputOf(draft: ReminderDraft, template: TemplateChoice): ReminderInput {
  const named = template.parameterFormat === 'named';
  const body = bodyVariables(template).map((key) => {
    const v = draft.variables[key] ?? emptyVariable();
    const source =
      v.from === 'text'
        ? { from: 'text' as const, value: v.value }
        : v.from === 'field'
          ? { from: 'field' as const, key: v.key, fallback: v.fallback }
          : { from: 'name' as const, fallback: v.fallback };
    return named ? { name: key, source } : { source };
  });
  return {
    name: draft.name.trim(),
    template: {
      name: template.name,
      language: template.language,
      category: template.category.toLowerCase() as 'marketing' | 'utility' | 'authentication',
      body,
    },
    audience:
      draft.audience === 'segment' ? { segment_id: draft.segmentId } : { contact_ids: draft.listedIds },
    schedule: scheduleOf(draft),
    options: {
      skip_recent_days: Number(draft.skipRecentDays || 0),
      stop_when_empty: draft.stopWhenEmpty,
      journey_on_reply: null,
    },
  };
}

function scheduleOf(draft: ReminderDraft): Schedule {
  switch (draft.schedule) {
    case 'now':
      return { kind: 'now' };
    case 'at': {
      const at = new Date(draft.at);
      return { kind: 'at', at: Number.isNaN(at.getTime()) ? draft.at : at.toISOString() };
    }
    case 'cron':
      return { kind: 'cron', expression: draft.cron.trim(), timezone: draft.timezone.trim() };
    case 'local':
      return { kind: 'local', date: draft.localDate, time: draft.localTime };
  }
}

/** The wizard's step where the server's field name belongs (`template.body.0.source.fallback` → variables). */
export function stepOfField(field: string): 'template' | 'audience' | 'variables' | 'schedule' | 'review' {
  if (field.startsWith('template.body')) return 'variables';
  if (field === 'name' || field.startsWith('template')) return 'template';
  if (field.startsWith('audience')) return 'audience';
  if (field.startsWith('schedule') || field.startsWith('options')) return 'schedule';
  return 'review';
}

/** The fields each step shows, so a form error names only the reasons shown nowhere else. */
export const fieldsOfStep: Record<string, readonly string[]> = {
  template: ['name', 'template.name', 'template.language', 'template.category'],
  audience: ['audience'],
  variables: ['template.body'],
  schedule: ['schedule', 'options'],
  review: [],
};

/** A schedule in words, for the list and a reminder's page. */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'now':
      return 'Now';
    case 'at':
      return `Once, ${new Date(schedule.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
    case 'cron':
      return `Recurring: ${schedule.expression} (${schedule.timezone})`;
    case 'local':
      return `${schedule.date} at ${schedule.time}, each person's local time`;
  }
}
