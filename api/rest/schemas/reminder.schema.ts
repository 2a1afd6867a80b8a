import { z } from 'zod';
import { reminderInputSchema } from '../../../engine/reminders/reminder.schema.js';

/** Reminders for integrators: the same definition the dashboard's wizard builds. */
export const reminderCreateSchema = reminderInputSchema.meta({
  id: 'ReminderCreate',
  examples: [
    {
      name: 'Clinic visit next week',
      template: {
        name: 'clinic_visit',
        language: 'en',
        category: 'utility',
        body: [
          { source: { from: 'name', fallback: 'there' } },
          { source: { from: 'field', key: 'clinic', fallback: 'your clinic' } },
        ],
      },
      audience: { contact_ids: ['1'] },
      schedule: { kind: 'cron', expression: '0 9 * * 1', timezone: 'Africa/Johannesburg' },
      options: { skip_recent_days: 6, stop_when_empty: true, journey_on_reply: null },
    },
  ],
});

export const reminderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    template: z.record(z.string(), z.unknown()),
    audience: z.record(z.string(), z.unknown()),
    schedule: z.record(z.string(), z.unknown()),
    options: z.record(z.string(), z.unknown()),
    state: z.enum(['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed']),
    next_run_at: z.iso.datetime().nullable(),
    paused_reason: z.string().nullable(),
    created_by: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Reminder' });
export const reminderListSchema = z.object({ data: z.array(reminderSchema) }).meta({ id: 'ReminderList' });

export const reminderStatsSchema = z
  .object({
    run_id: z.string().nullable(),
    targeted: z.number().int(),
    skipped: z.number().int(),
    skipped_by_reason: z.record(z.string(), z.number().int()),
    queued: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int(),
    read: z.number().int(),
    failed: z.number().int(),
    failed_by_code: z.record(z.string(), z.number().int()),
    replied: z.number().int(),
    journey_started: z.number().int(),
    cost_micros: z.number().int(),
    pending: z.number().int(),
  })
  .meta({ id: 'ReminderStats' });

export const reminderRunSchema = z
  .object({
    id: z.string(),
    due_at: z.iso.datetime().meta({ description: 'The occurrence the run serves' }),
    state: z.enum(['planning', 'sending', 'paused', 'completed', 'cancelled', 'failed']),
    paused_reason: z.string().nullable(),
    resume_at: z.iso.datetime().nullable(),
    started_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    targeted: z.number().int(),
    pending: z.number().int(),
    skipped: z.number().int(),
    queued: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int(),
    read: z.number().int(),
    failed: z.number().int(),
    replied: z.number().int(),
    cost_micros: z.number().int(),
  })
  .meta({ id: 'ReminderRun' });
export const reminderRunListSchema = z
  .object({ data: z.array(reminderRunSchema) })
  .meta({ id: 'ReminderRunList' });
export const statsQuerySchema = z.strictObject({
  run_id: z
    .string()
    .regex(/^\d+$/, 'must be a run id')
    .optional()
    .meta({
      description: 'One run (GET /v1/reminders/{id}/runs lists them); all runs when absent',
      examples: ['1'],
    }),
});

export const reminderRecipientSchema = z
  .object({
    run_id: z.string(),
    contact_id: z.string(),
    due_at: z.iso.datetime(),
    state: z.enum(['pending', 'skipped', 'queued', 'failed']),
    skip_reason: z.string().nullable(),
    message_id: z.string().nullable(),
    message_status: z.string().nullable(),
    error_code: z.number().int().nullable(),
    delivered_at: z.iso.datetime().nullable(),
    read_at: z.iso.datetime().nullable(),
    replied_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ReminderRecipient' });
export const reminderRecipientListSchema = z
  .object({ data: z.array(reminderRecipientSchema), next_after: z.string().nullable() })
  .meta({ id: 'ReminderRecipientList' });
export const recipientsQuerySchema = z.strictObject({
  after: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be the next_after of the previous page')
    .optional()
    .meta({ description: "The previous page's next_after (contact id and run id)", examples: ['120.3'] }),
  limit: z.coerce.number().int().min(1).max(1000).optional().meta({ description: 'Page size (default 200)' }),
});

export const pauseBodySchema = z
  .strictObject({ reason: z.string().max(500).optional() })
  .meta({ id: 'ReminderPause' });

export const reminderEstimateSchema = z
  .object({
    targeted: z.number().int(),
    reach: z.number().int(),
    skipped: z.record(z.string(), z.number().int()),
    cost_by_market: z.array(
      z.object({
        calling_code: z.string(),
        market: z.string(),
        category: z.string(),
        people: z.number().int(),
        cost_micros: z.number().int(),
      }),
    ),
    total_micros: z.number().int(),
    currency: z.string(),
    available_micros: z.number().int(),
    enough: z.boolean(),
  })
  .meta({ id: 'ReminderEstimate' });
