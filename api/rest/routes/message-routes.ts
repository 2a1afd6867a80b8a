import { AppError } from '../../../core/errors.js';
import { queueMessage } from '../../../core/outbox/queue-message.js';
import { getMessageStatus } from '../data/messages.js';
import { defineRoute } from '../define-route.js';
import { idempotent } from '../idempotency.js';
import { idParamsSchema } from '../schemas/common.schema.js';
import { messageAcceptedSchema, messageSendSchema, messageStatusSchema } from '../schemas/message.schema.js';
import { channelFor } from './channel-for.js';

export const messageRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/messages',
    operationId: 'sendMessage',
    summary: 'Send a message',
    description:
      "Queues a message for sending; it is sent at the channel's rate limit. Free-form messages need the contact's 24-hour customer service window to be open (422 window_closed otherwise); templates may be sent at any time. Nothing is sent to a blocked or erased person (422 contact_blocked). Follow progress with GET /v1/messages/{id} or the message.status webhook. Send an Idempotency-Key header (1 to 255 visible ASCII characters, e.g. a UUID) to retry safely: for 24 hours the same key with the same body returns the first answer without sending again, and the same key with a different body answers 422 idempotency_key_reused. A request that failed stores nothing, so its retry runs again.",
    tag: 'Messages',
    permission: 'messages.send',
    body: messageSendSchema,
    success: { status: 202, description: 'Queued', schema: messageAcceptedSchema },
    errors: [404, 413, 422],
    async handler({ body, actor, services, request }) {
      if ((body.to === undefined) === (body.contact_id === undefined)) {
        throw new AppError('validation_failed', 'give exactly one of to or contact_id', [
          { field: 'to', reason: 'give exactly one of to or contact_id' },
        ]);
      }
      const channel = channelFor(services, body.channel);
      return idempotent(
        services.db,
        { request, actor, route: 'POST /v1/messages', body: { ...body, channel }, status: 202 },
        async (tx) => {
          const queued = await queueMessage(tx, {
            channel,
            ...(body.to !== undefined ? { wa_id: body.to } : { contact_id: body.contact_id }),
            reply_to: body.reply_to,
            message: body.message,
            attribution: { api_token_id: actor.tokenId },
            source: 'api',
          });
          return { id: queued.messageId, contact_id: queued.contactId, channel, status: 'queued' as const };
        },
      );
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/messages/{id}',
    operationId: 'getMessage',
    summary: "Get a message's status",
    description: 'The current status of a message and when it was queued, sent, delivered, read or failed.',
    tag: 'Messages',
    permission: 'messages.read',
    params: idParamsSchema,
    success: { status: 200, description: 'The message', schema: messageStatusSchema },
    errors: [404],
    handler: ({ params, services }) => getMessageStatus(services.db, params.id),
  }),
];
