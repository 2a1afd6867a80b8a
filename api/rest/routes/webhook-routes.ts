import type { ApiServices } from '../../services/api-services.js';
import { listWebhookDeliveries, replayWebhookDelivery } from '../../webhooks/deliveries.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  getWebhookSubscription,
  listWebhookSubscriptions,
  updateWebhookSubscription,
} from '../../webhooks/subscriptions.js';
import { defineRoute } from '../define-route.js';
import { deliveryParamsSchema, idParamsSchema, pageQuerySchema } from '../schemas/common.schema.js';
import {
  deliveryListSchema,
  deliverySchema,
  webhookCreatedSchema,
  webhookCreateSchema,
  webhookListSchema,
  webhookSchema,
  webhookUpdateSchema,
} from '../schemas/webhook.schema.js';

const policy = (services: ApiServices) => ({
  allowLocal: services.config.allowLocalWebhooks,
  lookup: services.lookup,
});
const tag = 'Webhooks';
const signing =
  'Each delivery is a POST of {id, type, occurred_at, contact_id, channel, payload} with X-Parley-Event-Id, X-Parley-Timestamp and X-Parley-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>. Failed deliveries are retried (10 s, 1 min, 5 min, 30 min, 2 h, then every 6 h) for 24 hours.';

export const webhookRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    summary: 'List webhooks',
    tag,
    permission: 'webhooks.manage',
    success: { status: 200, description: 'Webhook subscriptions', schema: webhookListSchema },
    handler: async ({ services }) => ({ data: await listWebhookSubscriptions(services.db) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events',
    description: `Returns the signing secret once. ${signing}`,
    tag,
    permission: 'webhooks.manage',
    body: webhookCreateSchema,
    success: {
      status: 201,
      description: 'Created; the secret is shown only here',
      schema: webhookCreatedSchema,
    },
    handler: ({ body, actor, services }) =>
      createWebhookSubscription(services.db, actor, body, policy(services)),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks/{id}',
    operationId: 'getWebhook',
    summary: 'Get a webhook',
    tag,
    permission: 'webhooks.manage',
    params: idParamsSchema,
    success: { status: 200, description: 'The webhook', schema: webhookSchema },
    errors: [404],
    handler: ({ params, services }) => getWebhookSubscription(services.db, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    operationId: 'updateWebhook',
    summary: 'Update a webhook',
    tag,
    permission: 'webhooks.manage',
    params: idParamsSchema,
    body: webhookUpdateSchema,
    success: { status: 200, description: 'Updated', schema: webhookSchema },
    errors: [404],
    handler: ({ params, body, actor, services }) =>
      updateWebhookSubscription(services.db, actor, params.id, body, policy(services)),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    description: 'Deletes the subscription with its delivery log.',
    tag,
    permission: 'webhooks.manage',
    params: idParamsSchema,
    success: { status: 204, description: 'Deleted' },
    errors: [404],
    async handler({ params, actor, services }) {
      await deleteWebhookSubscription(services.db, actor, params.id);
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'List deliveries',
    description: 'The delivery log, newest first, with every attempt (status code, latency, error).',
    tag,
    permission: 'webhooks.manage',
    params: idParamsSchema,
    query: pageQuerySchema,
    success: { status: 200, description: 'Deliveries', schema: deliveryListSchema },
    errors: [404],
    async handler({ params, query, services }) {
      await getWebhookSubscription(services.db, params.id);
      return {
        data: await listWebhookDeliveries(services.db, params.id, {
          limit: query.limit,
          beforeId: query.before,
        }),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
    operationId: 'replayWebhookDelivery',
    summary: 'Replay a delivery',
    description: 'Sends the delivery again now, with a fresh 24-hour retry window.',
    tag,
    permission: 'webhooks.manage',
    params: deliveryParamsSchema,
    success: { status: 202, description: 'Queued for delivery', schema: deliverySchema },
    errors: [404],
    handler: ({ params, actor, services }) =>
      replayWebhookDelivery(services.db, actor, params.id, params.deliveryId),
  }),
];
