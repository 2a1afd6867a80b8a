import { z } from 'zod';
import { unixSecondsSchema, webhookErrorSchema } from './webhook-payload.schema.js';

/**
 * Delivery statuses of messages we sent, after Meta's statuses webhook reference:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
 * `status` is sent, delivered, read, failed, and also deleted, played (voice) or values Meta
 * adds later: any string is accepted.
 */
export const messageStatusSchema = z.looseObject({
  id: z.string().min(1).max(256),
  status: z.string().min(1).max(64),
  timestamp: unixSecondsSchema,
  /** A phone number, or a group id when recipient_type is group. */
  recipient_id: z.string().optional(),
  recipient_type: z.string().optional(),
  /** The recipient's BSUID and parent BSUID (since 2026); recipient_id may then be absent. */
  recipient_user_id: z.string().min(1).optional(),
  recipient_parent_user_id: z.string().min(1).optional(),
  /** Echoes what the sender put in the request; ours look like `parley:<message id>`. */
  biz_opaque_callback_data: z.string().optional(),
  conversation: z
    .looseObject({
      id: z.string().optional(),
      origin: z.looseObject({ type: z.string().optional() }).optional(),
      expiration_timestamp: unixSecondsSchema.optional(),
    })
    .optional(),
  pricing: z
    .looseObject({
      billable: z.boolean().optional(),
      pricing_model: z.string().optional(),
      category: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
  errors: z.array(webhookErrorSchema).optional(),
});
export type MessageStatus = z.infer<typeof messageStatusSchema>;
