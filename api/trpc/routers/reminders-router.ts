import { z } from 'zod';
import { inTransaction } from '../../../core/db/in-transaction.js';
import { formatMoney } from '../../../engine/billing/index.js';
import {
  cancelReminder,
  createReminder,
  estimateReminder,
  findListedPeople,
  getReminder,
  listReminderRecipients,
  listReminderRuns,
  listReminders,
  pauseReminder,
  reminderInputSchema,
  reminderListCounts,
  reminderStats,
  reminderTimeline,
  resumeReminder,
  scheduleReminder,
  upcomingRuns,
} from '../../../engine/reminders/index.js';
import { getSegment } from '../../../engine/segments/index.js';
import { segmentWarehouseOf } from '../../segments/segment-services.js';
import { actorLabel } from '../../services/contacts.js';
import { presentEstimate, presentReminderStats } from '../../services/present-reminders.js';
import { idSchema } from '../common.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const byId = z.strictObject({ id: idSchema });

/** Reminders: the wizard (estimate, create, schedule), the list, a reminder's page with stats and outcomes. */
export const remindersRouter = router({
  list: permissionProcedure('reminders.read').query(async ({ ctx }) => {
    const reminders = await listReminders(ctx.db);
    const counts = await reminderListCounts(
      ctx.db,
      reminders.map((r) => r.id),
    );
    const none = { targeted: 0, queued: 0, delivered: 0 };
    return reminders.map((reminder) => ({ ...reminder, counts: counts.get(reminder.id) ?? none }));
  }),

  get: permissionProcedure('reminders.read')
    .input(byId)
    .query(async ({ ctx, input }) => {
      const reminder = await getReminder(ctx.db, input.id);
      const upcoming =
        reminder.schedule.kind === 'cron' && reminder.next_run_at
          ? upcomingRuns(reminder.schedule, new Date(reminder.next_run_at.getTime() - 1), 3)
          : [];
      const [stats, timeline, runs] = await Promise.all([
        reminderStats(ctx.db, input.id),
        reminderTimeline(ctx.db, input.id),
        listReminderRuns(ctx.db, input.id),
      ]);
      // The segment's name for the page; a segment deleted since is shown by its id alone.
      const segment =
        'segment_id' in reminder.audience
          ? await getSegment(ctx.db, reminder.audience.segment_id).then(
              (s) => ({ id: s.id, name: s.name }),
              () => ({ id: (reminder.audience as { segment_id: string }).segment_id, name: null }),
            )
          : null;
      return {
        reminder,
        segment,
        stats: presentReminderStats(stats),
        runs: runs.map((run) => ({ ...run, cost: formatMoney(run.cost_micros) })),
        timeline,
        upcoming,
      };
    }),

  estimate: permissionProcedure('reminders.read')
    .input(reminderInputSchema)
    .query(({ ctx, input }) =>
      estimateReminder(
        ctx.db,
        ctx.services.warehouse ? segmentWarehouseOf(ctx.services, ctx.actor) : undefined,
        reminderInputSchema.parse(input),
      ).then(presentEstimate),
    ),

  /** An uploaded list (phone numbers or BSUIDs, one per line) as the people it names. */
  findListed: permissionProcedure('reminders.write')
    .input(
      z.strictObject({
        text: z.string().max(5_000_000),
        defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as ZA'),
      }),
    )
    .mutation(({ ctx, input }) => findListedPeople(ctx.db, input.text, input.defaultCountry.toUpperCase())),

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
    .input(
      byId.extend({
        after: z
          .string()
          .regex(/^\d+(\.\d+)?$/, 'must be the next_after of the previous page')
          .optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .query(({ ctx, input }) => listReminderRecipients(ctx.db, input.id, input)),
});
