import { z } from 'zod';

/**
 * A reminder as program staff define it (the wizard: template → audience → variables →
 * schedule → review). Shared by the engine, the REST API and the dashboard (zod only).
 */

const id = z.string().regex(/^\d+$/, 'must be a decimal id');

/** Where a template variable's value comes from for each person, and what to use when it is empty. */
export const variableSourceSchema = z.discriminatedUnion('from', [
  z.object({ from: z.literal('name'), fallback: z.string().min(1) }),
  z.object({ from: z.literal('field'), key: z.string().min(1), fallback: z.string().min(1) }),
  z.object({ from: z.literal('text'), value: z.string().min(1) }),
]);
export type VariableSource = z.infer<typeof variableSourceSchema>;

export const reminderTemplateSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and underscores'),
  language: z.string().min(2).max(15),
  category: z.enum(['marketing', 'utility', 'authentication']),
  /** Body variables in order ({{1}}, {{2}}...) or by name for named parameters. */
  body: z
    .array(z.object({ name: z.string().min(1).optional(), source: variableSourceSchema }))
    .max(60)
    .default([]),
  /**
   * The header's part of each message: the one variable of a text header, or the media of an
   * image, video or document header (Meta needs the media with every send, not only at review).
   */
  header: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text'), name: z.string().min(1).optional(), source: variableSourceSchema }),
      z.object({ type: z.enum(['image', 'video', 'document']), link: z.url() }),
    ])
    .nullable()
    .default(null),
  /** The variable suffix of each URL button that has one, by the button's position in the template. */
  buttons: z
    .array(z.object({ index: z.number().int().min(0).max(9), source: variableSourceSchema }))
    .max(10)
    .default([]),
});
export type ReminderTemplate = z.infer<typeof reminderTemplateSchema>;

export const audienceSchema = z.union([
  z.strictObject({ segment_id: id }),
  z.strictObject({ contact_ids: z.array(id).min(1).max(100_000) }),
]);
export type Audience = z.infer<typeof audienceSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('now') }),
  z.object({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }),
  /** Recurring, in the organisation's timezone (or each person's, with `timezone: "person"`). */
  z.object({ kind: z.literal('cron'), expression: z.string().min(9).max(120), timezone: z.string().min(1) }),
  /** Once, at this wall-clock time in each person's own timezone. */
  z.object({ kind: z.literal('local'), date: z.iso.date(), time: hhmm }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

export const reminderOptionsSchema = z
  .object({
    /** Skip people who got this reminder in the last N days (0: never skip). */
    skip_recent_days: z.number().int().min(0).max(365).default(0),
    /** Pause the run when the amount available runs out. */
    stop_when_empty: z.boolean().default(false),
    /** The journey to start when the person replies or presses a button (the journeys engine starts it). */
    journey_on_reply: id.nullable().default(null),
  })
  .default({ skip_recent_days: 0, stop_when_empty: false, journey_on_reply: null });
export type ReminderOptions = z.infer<typeof reminderOptionsSchema>;

export const reminderInputSchema = z.strictObject({
  name: z.string().min(1).max(200),
  template: reminderTemplateSchema,
  audience: audienceSchema,
  schedule: scheduleSchema,
  options: reminderOptionsSchema,
});
export type ReminderInput = z.input<typeof reminderInputSchema>;
