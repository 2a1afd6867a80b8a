import { z } from 'zod';
import { inTransaction } from '../../../core/db/in-transaction.js';
import {
  cancelReminder,
  createReminder,
  estimateReminder,
  getReminder,
  listReminderRecipients,
  listReminders,
  pauseReminder,
  reminderInputSchema,
  reminderStats,
  resumeReminder,
  scheduleReminder,
  upcomingRuns,
} from '../../../engine/reminders/index.js';
import { segmentWarehouseOf } from '../../segments/segment-services.js';
import { actorLabel } from '../../services/contacts.js';
import { idSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const byId = z.strictObject({ id: idSchema });

/** Reminders: the wizard (estimate, create, schedule), the list, a reminder's page with stats and outcomes. */
export const remindersRouter = router({
  list: permissionProcedure('reminders.read').query(({ ctx }) => listReminders(ctx.db)),

  get: permissionProcedure('reminders.read')
    .input(byId)
    .query(async ({ ctx, input }) => {
      const reminder = await getReminder(ctx.db, input.id);
      const upcoming =
        reminder.schedule.kind === 'cron' && reminder.next_run_at
          ? upcomingRuns(reminder.schedule, new Date(reminder.next_run_at.getTime() - 1), 3)
          : [];
      return { reminder, stats: await reminderStats(ctx.db, input.id), upcoming };
    }),

  estimate: permissionProcedure('reminders.read')
    .input(reminderInputSchema)
    .query(({ ctx, input }) =>
      estimateReminder(
        ctx.db,
        ctx.services.warehouse ? segmentWarehouseOf(ctx.services, ctx.actor) : undefined,
        reminderInputSchema.parse(input),
      ),
    ),

  create: permissionProcedure('reminders.write')
    .input(reminderInputSchema.extend({ schedule_now: z.boolean().default(false) }))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, async (tx) => {
        const { schedule_now, ...definition } = input;
        const created = await createReminder(tx, definition, actorLabel(ctx.actor));
        return schedule_now ? scheduleReminder(tx, created.id, actorLabel(ctx.actor)) : created;
      }),
    ),

  schedule: permissionProcedure('reminders.write')
    .input(byId)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, (tx) => scheduleReminder(tx, input.id, actorLabel(ctx.actor))),
    ),

  pause: permissionProcedure('reminders.write')
    .input(byId.extend({ reason: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, (tx) => pauseReminder(tx, input.id, actorLabel(ctx.actor), input.reason ?? null)),
    ),

  resume: permissionProcedure('reminders.write')
    .input(byId)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, (tx) => resumeReminder(tx, input.id, actorLabel(ctx.actor))),
    ),

  cancel: permissionProcedure('reminders.write')
    .input(byId)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.db, (tx) => cancelReminder(tx, input.id, actorLabel(ctx.actor))),
    ),

  recipients: permissionProcedure('reminders.read')
    .input(byId.extend({ after: idSchema.optional(), limit: z.number().int().min(1).max(1000).optional() }))
    .query(({ ctx, input }) => listReminderRecipients(ctx.db, input.id, input)),
});
