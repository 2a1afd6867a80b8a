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
  /** The pasted list as typed (phone numbers or BSUIDs) and the country of its national numbers. */
  listText: string;
  listCountry: string;
  /** The list's people, once the server has found them. */
  listedIds: string[];
  variables: Record<string, VariableDraft>;
  /** The link of a media header's image, video or document. */
  headerLink: string;
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
  components: readonly {
    type: string;
    text?: string;
    format?: string;
    buttons?: readonly { type: string; text?: string; url?: string }[];
  }[];
}

/** One value the wizard asks for: a variable of the header, the body or a URL button. */
export interface VariableSlot {
  /** Its key in the draft's `variables` (`header`, the body's `1` or `first_name`, `button:0`). */
  id: string;
  /** How the wizard names it: `{{1}}`, `Header {{1}}`, `Button “Book” {{1}}`. */
  label: string;
  /** Where the server reports its errors (`template.body.0.source`). */
  path: string;
}

export function emptyReminderDraft(timezone: string): ReminderDraft {
  return {
    name: '',
    templateId: '',
    audience: 'segment',
    segmentId: '',
    listText: '',
    listCountry: 'ZA',
    listedIds: [],
    variables: {},
    headerLink: '',
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

/** A media header's format (its media goes with every send), or null. */
export function headerMedia(template: TemplateChoice): 'image' | 'video' | 'document' | null {
  const format = template.components.find((c) => c.type === 'HEADER')?.format;
  return format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT'
    ? (format.toLowerCase() as 'image' | 'video' | 'document')
    : null;
}

/** The header's variable (a text header has one at most), or null. */
function headerVariable(template: TemplateChoice): string | null {
  const header = template.components.find((c) => c.type === 'HEADER');
  return header?.format === 'TEXT' && header.text ? (variableKeys(header.text)[0] ?? null) : null;
}

/** The URL buttons whose address ends in a variable, with their position among the buttons. */
function urlButtons(template: TemplateChoice): { index: number; text: string; key: string }[] {
  const buttons = template.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  return buttons.flatMap((b, index) => {
    const key = b.type === 'URL' && b.url ? variableKeys(b.url)[0] : undefined;
    return key ? [{ index, text: b.text ?? '', key }] : [];
  });
}

/** Every value a send of this template needs, header first, as the wizard lists them. */
export function variableSlots(template: TemplateChoice): VariableSlot[] {
  const header = headerVariable(template);
  const bodyKeys = bodyVariables(template);
  return [
    ...(header ? [{ id: 'header', label: `Header {{${header}}}`, path: 'template.header.source' }] : []),
    ...bodyKeys.map((key, i) => ({ id: key, label: `{{${key}}}`, path: `template.body.${i}.source` })),
    ...urlButtons(template).map((b, i) => ({
      id: `button:${b.index}`,
      label: `Button “${b.text}” {{${b.key}}}`,
      path: `template.buttons.${i}.source`,
    })),
  ];
}

const emptyVariable = (): VariableDraft => ({ from: 'name', key: '', fallback: '', value: '' });

/**
 * The reminder as the server takes it. Values the form cannot yet express (an empty time)
 * pass through as they are, so the server's reason for them lands at the right input.
 */
export function reminderInputOf(draft: ReminderDraft, template: TemplateChoice): ReminderInput {
  const named = template.parameterFormat === 'named';
  const sourceOf = (id: string) => {
    const v = draft.variables[id] ?? emptyVariable();
    return v.from === 'text'
      ? { from: 'text' as const, value: v.value }
      : v.from === 'field'
        ? { from: 'field' as const, key: v.key, fallback: v.fallback }
        : { from: 'name' as const, fallback: v.fallback };
  };
  const body = bodyVariables(template).map((key) =>
    named ? { name: key, source: sourceOf(key) } : { source: sourceOf(key) },
  );
  const headerKey = headerVariable(template);
  const media = headerMedia(template);
  const header = headerKey
    ? { type: 'text' as const, ...(named ? { name: headerKey } : {}), source: sourceOf('header') }
    : media
      ? { type: media, link: draft.headerLink.trim() }
      : null;
  const buttons = urlButtons(template).map((b) => ({
    index: b.index,
    source: sourceOf(`button:${b.index}`),
  }));
  return {
    name: draft.name.trim(),
    template: {
      name: template.name,
      language: template.language,
      category: template.category.toLowerCase() as 'marketing' | 'utility' | 'authentication',
      body,
      header,
      buttons,
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
  if (['template.body', 'template.header', 'template.buttons'].some((p) => field.startsWith(p)))
    return 'variables';
  if (field === 'name' || field.startsWith('template')) return 'template';
  if (field.startsWith('audience')) return 'audience';
  if (field.startsWith('schedule') || field.startsWith('options')) return 'schedule';
  return 'review';
}

/** The fields each step shows, so a form error names only the reasons shown nowhere else. */
export const fieldsOfStep: Record<string, readonly string[]> = {
  template: ['name', 'template.name', 'template.language', 'template.category'],
  audience: ['audience'],
  variables: ['template.body', 'template.header', 'template.buttons'],
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

/**
 * The values a preview shows for a reminder: the same text for everyone as it is, and a value
 * from each person's profile as `‹name, else there›`, so the preview shows what comes from where
 * without showing anybody's data. Keyed as the template preview takes them (header and body by
 * variable, buttons by position).
 */
export function previewValues(
  draft: ReminderDraft,
  template: TemplateChoice,
  fieldNames: ReadonlyMap<string, string>,
): { header: Record<string, string>; body: Record<string, string>; buttons: Record<string, string> } {
  const values = {
    header: {} as Record<string, string>,
    body: {} as Record<string, string>,
    buttons: {} as Record<string, string>,
  };
  const shown = (id: string) => {
    const v = draft.variables[id] ?? emptyVariable();
    if (v.from === 'text') return v.value;
    const what = v.from === 'name' ? 'name' : (fieldNames.get(v.key) ?? (v.key || 'a field'));
    return v.fallback ? `‹${what}, else ${v.fallback}›` : `‹${what}›`;
  };
  const headerKey = headerVariable(template);
  if (headerKey) values.header[headerKey] = shown('header');
  for (const key of bodyVariables(template)) values.body[key] = shown(key);
  for (const b of urlButtons(template)) values.buttons[String(b.index)] = shown(`button:${b.index}`);
  return values;
}
