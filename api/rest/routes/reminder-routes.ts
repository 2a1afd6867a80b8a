import { inTransaction } from '../../../core/db/in-transaction.js';
import {
  cancelReminder,
  createReminder,
  estimateReminder,
  getReminder,
  listReminderRecipients,
  listReminderRuns,
  listReminders,
  pauseReminder,
  reminderInputSchema,
  reminderStats,
  requireReminderRun,
  resumeReminder,
  scheduleReminder,
} from '../../../engine/reminders/index.js';
import { segmentWarehouseOf } from '../../segments/segment-services.js';
import { actorLabel } from '../../services/contacts.js';
import { defineRoute } from '../define-route.js';
import { idParamsSchema } from '../schemas/common.schema.js';
import {
  pauseBodySchema,
  recipientsQuerySchema,
  reminderCreateSchema,
  reminderEstimateSchema,
  reminderListSchema,
  reminderRecipientListSchema,
  reminderRunListSchema,
  reminderSchema,
  reminderStatsSchema,
  statsQuerySchema,
} from '../schemas/reminder.schema.js';

const tag = 'Reminders';

/** Reminders: create a draft, estimate, schedule, pause, resume, cancel, and read stats and outcomes. */
export const reminderRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/reminders',
    operationId: 'listReminders',
    summary: 'List reminders',
    tag,
    permission: 'reminders.read',
    success: { status: 200, description: 'Reminders, newest first', schema: reminderListSchema },
    handler: async ({ services }) => ({ data: await listReminders(services.db) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/reminders',
    operationId: 'createReminder',
    summary: 'Create a reminder (a draft)',
    description:
      "Nothing is sent until the reminder is scheduled. Schedules: `now`, `at` a time, `cron` (in a timezone, usually the organisation's) or `local` (a date and time in each person's own timezone).",
    tag,
    permission: 'reminders.write',
    body: reminderCreateSchema,
    success: { status: 201, description: 'Created', schema: reminderSchema },
    handler: ({ body, actor, services }) =>
      inTransaction(services.db, (tx) => createReminder(tx, body, actorLabel(actor))),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/reminders/estimate',
    operationId: 'estimateReminder',
    summary: 'Estimate reach and cost',
    description:
      'How many people a reminder would reach now, how many would be skipped and why, and the cost by market and category at the rate card in force, against the amount available.',
    tag,
    permission: 'reminders.read',
    body: reminderCreateSchema,
    success: { status: 200, description: 'Estimate', schema: reminderEstimateSchema },
    errors: [404, 503],
    handler: async ({ body, actor, services }) =>
      estimateReminder(
        services.db,
        services.warehouse ? segmentWarehouseOf(services, actor) : undefined,
        reminderInputSchema.parse(body),
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/reminders/{id}',
    operationId: 'getReminder',
    summary: 'A reminder',
    tag,
    permission: 'reminders.read',
    params: idParamsSchema,
    success: { status: 200, description: 'Reminder', schema: reminderSchema },
    errors: [404],
    handler: ({ params, services }) => getReminder(services.db, params.id),
  }),
  ...(['schedule', 'resume', 'cancel'] as const).map((action) =>
    defineRoute({
      method: 'POST',
      path: `/v1/reminders/{id}/${action}`,
      operationId: `${action}Reminder`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a reminder`,
      tag,
      permission: 'reminders.write',
      params: idParamsSchema,
      success: { status: 200, description: 'The reminder after the change', schema: reminderSchema },
      errors: [404, 409],
      handler: ({ params, actor, services }) =>
        inTransaction(services.db, (tx) => {
          const by = actorLabel(actor);
          if (action === 'schedule') return scheduleReminder(tx, params.id, by);
          if (action === 'resume') return resumeReminder(tx, params.id, by);
          return cancelReminder(tx, params.id, by);
        }),
    }),
  ),
  defineRoute({
    method: 'POST',
    path: '/v1/reminders/{id}/pause',
    operationId: 'pauseReminder',
    summary: 'Pause a reminder',
    tag,
    permission: 'reminders.write',
    params: idParamsSchema,
    body: pauseBodySchema,
    success: { status: 200, description: 'The reminder, paused', schema: reminderSchema },
    errors: [404, 409],
    handler: ({ params, body, actor, services }) =>
      inTransaction(services.db, (tx) =>
        pauseReminder(tx, params.id, actorLabel(actor), body.reason ?? null),
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/reminders/{id}/stats',
    operationId: 'getReminderStats',
    summary: 'Targeted, skipped, sent, delivered, read, failed, replied and cost',
    tag,
    permission: 'reminders.read',
    params: idParamsSchema,
    query: statsQuerySchema,
    success: { status: 200, description: 'Stats over every run, or of one run', schema: reminderStatsSchema },
    errors: [404],
    handler: async ({ params, query, services }) => {
      await getReminder(services.db, params.id);
      if (query.run_id !== undefined) await requireReminderRun(services.db, params.id, query.run_id);
      return reminderStats(services.db, params.id, query.run_id ?? null);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/reminders/{id}/runs',
    operationId: 'listReminderRuns',
    summary: "A reminder's runs with their counts",
    description: 'One run per occurrence (a recurring reminder has many), newest first.',
    tag,
    permission: 'reminders.read',
    params: idParamsSchema,
    success: { status: 200, description: 'Runs, newest first', schema: reminderRunListSchema },
    errors: [404],
    handler: async ({ params, services }) => {
      await getReminder(services.db, params.id);
      return { data: await listReminderRuns(services.db, params.id) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/reminders/{id}/recipients',
    operationId: 'listReminderRecipients',
    summary: 'Per-person outcomes',
    tag,
    permission: 'reminders.read',
    params: idParamsSchema,
    query: recipientsQuerySchema,
    success: { status: 200, description: 'One row per person and run', schema: reminderRecipientListSchema },
    errors: [404],
    handler: async ({ params, query, services }) => {
      await getReminder(services.db, params.id);
      return listReminderRecipients(services.db, params.id, query);
    },
  }),
];
