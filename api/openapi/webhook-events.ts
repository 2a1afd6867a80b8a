import { z } from 'zod';
import { eventSchema } from '../../core/log/event.schema.js';
import { type JsonSchema, toJsonSchema } from './to-json-schema.js';

/**
 * The `webhooks` section of the OpenAPI document (OpenAPI 3.1): what Parley POSTs to an
 * integrator's subscription for each event type, built from the log's own event schemas, so
 * the description cannot drift from what is delivered (api/webhooks/delivery-worker.ts
 * sends the envelope below with the event's payload as it was logged).
 */
export function webhookEventDocs(schemas: Record<string, JsonSchema>): Record<string, unknown> {
  return Object.fromEntries(
    eventSchema.options.map((option) => {
      const type = option.shape.type.value;
      const delivery = z.object({
        id: z.string().meta({ description: 'The event id (also the x-parley-event-id header)' }),
        sequence: z
          .number()
          .int()
          .meta({ description: 'Grows with log order within a subscription: order events by it' }),
        type: z.literal(type),
        occurred_at: z.string().meta({ description: 'ISO 8601, UTC' }),
        contact_id: z.string().nullable().meta({
          description: 'The person the event is about (after a merge: the survivor for later events)',
        }),
        channel: z.string().nullable(),
        payload: option.shape.payload,
      });
      return [
        type,
        {
          post: {
            operationId: `webhook_${type.replaceAll('.', '_')}`,
            summary: `${type} event`,
            description: descriptionOf(type),
            tags: ['Webhook events'],
            parameters: [
              signedHeader('x-parley-signature', '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`'),
              signedHeader('x-parley-event-id', 'The event id'),
              signedHeader('x-parley-timestamp', 'Unix seconds of this attempt'),
            ],
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJsonSchema(delivery, 'output', schemas) } },
            },
            responses: { '200': { description: 'Any 2xx acknowledges; other answers are retried' } },
          },
        },
      ];
    }),
  );
}

function signedHeader(name: string, description: string) {
  return { name, in: 'header', required: true, description, schema: { type: 'string' } };
}

/** What integrators most need to know per family; docs/webhooks.md has the full text. */
function descriptionOf(type: string): string {
  if (type === 'message.received')
    return 'An inbound message. `wa_id` (the phone number) is absent when Meta shares none (a person with a username); `user_id` (BSUID, `CC.digits`), `parent_user_id` and `username` are present when Meta sent them.';
  if (type === 'message.status')
    return 'A delivery status. `recipient_id` may be absent; `recipient_user_id` / `recipient_parent_user_id` carry the BSUID.';
  if (type === 'message.queued')
    return 'An outbound message was queued: addressed by `wa_id` (the Cloud API `to`) or, for a person known only by BSUID, `recipient`; never both.';
  if (type === 'contact.created')
    return 'A new person: `wa_id` and/or `bsuid`, with `parent_bsuid` and `username` when known.';
  if (type === 'contact.merged')
    return 'Two people were one human: the merged person (merged_contact_id) now lives on as surviving_contact_id, which is the event’s contact_id.';
  if (type.startsWith('template.')) return 'A WhatsApp message template changed (docs/templates.md).';
  if (type.startsWith('reminder.'))
    return 'A reminder changed, ran, or sent to one person (docs/reminders.md).';
  if (type.startsWith('charge.'))
    return 'Money of message billing, in millionths of the currency (docs/billing.md).';
  return `The ${type} event as logged.`;
}
