import { z } from 'zod';
import { listWebhookDeliveries, replayWebhookDelivery } from '../../webhooks/deliveries.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  failingWebhookSubscriptions,
  getWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  subscribableEventTypes,
  updateWebhookSubscription,
} from '../../webhooks/subscriptions.js';
import { idSchema } from '../common.schema.js';
import type { Context } from '../context.js';
import { permissionProcedure, router } from '../trpc.js';

const manage = permissionProcedure('webhooks.manage');
const fields = {
  url: z.string().min(1).max(2000),
  event_types: z.array(z.string().min(1)).min(1, 'give at least one event type'),
  description: z.string().max(500).nullable(),
  active: z.boolean(),
};

const policy = (ctx: Context) => ({
  allowLocal: ctx.services.config.allowLocalWebhooks,
  lookup: ctx.services.lookup,
});

/** Settings → Webhooks: subscriptions, the delivery log, replay and the failing alert. */
export const webhooksRouter = router({
  list: manage.query(({ ctx }) => listWebhookSubscriptions(ctx.db)),
  eventTypes: manage.query(() => subscribableEventTypes),
  /** Subscriptions flagged failing, for the alert banner. */
  alerts: manage.query(({ ctx }) => failingWebhookSubscriptions(ctx.db)),
  get: manage
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => getWebhookSubscription(ctx.db, input.id)),

  create: manage
    .input(
      z.strictObject({
        ...fields,
        description: fields.description.optional(),
        active: fields.active.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createWebhookSubscription(ctx.db, ctx.actor, input, policy(ctx))),

  update: manage
    .input(z.strictObject({ id: idSchema, ...z.object(fields).partial().shape }))
    .mutation(({ ctx, input }) => {
      const { id, ...patch } = input;
      return updateWebhookSubscription(ctx.db, ctx.actor, id, patch, policy(ctx));
    }),

  rotateSecret: manage
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, ctx.actor, input.id)),

  delete: manage.input(z.strictObject({ id: idSchema })).mutation(async ({ ctx, input }) => {
    await deleteWebhookSubscription(ctx.db, ctx.actor, input.id);
    return { ok: true as const };
  }),

  deliveries: manage
    .input(
      z.strictObject({
        id: idSchema,
        limit: z.number().int().min(1).max(200).optional(),
        beforeId: idSchema.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      await getWebhookSubscription(ctx.db, input.id);
      return listWebhookDeliveries(ctx.db, input.id, { limit: input.limit, beforeId: input.beforeId });
    }),

  replay: manage
    .input(z.strictObject({ id: idSchema, deliveryId: idSchema }))
    .mutation(({ ctx, input }) => replayWebhookDelivery(ctx.db, ctx.actor, input.id, input.deliveryId)),
});
