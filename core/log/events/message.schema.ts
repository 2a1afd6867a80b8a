import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * Message events, channel-agnostic. Fields follow the WhatsApp Cloud API's names
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components) so that
 * analysts recognise them; `raw` keeps the whole object as the channel sent it.
 */

export const messageErrorSchema = z.object({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  details: z.string().optional(),
});

export const messageReceivedPayloadSchema = z.object({
  message_id: idString,
  external_id: z.string().min(1),
  /** The sender's phone number; absent when Meta shares none (a person with a username). */
  wa_id: z.string().min(1).optional(),
  /** The sender's business-scoped user id (BSUID), parent BSUID and username, when Meta sent them. */
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  profile_name: z.string().nullable().optional(),
  message_type: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  text: z.string().nullable().optional(),
  media: z
    .object({
      id: z.string().optional(),
      url: z.string().optional(),
      mime_type: z.string().optional(),
      sha256: z.string().optional(),
      caption: z.string().optional(),
      filename: z.string().optional(),
      voice: z.boolean().optional(),
      animated: z.boolean().optional(),
    })
    .optional(),
  interactive: z
    .object({
      type: z.string(),
      id: z.string().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      response_json: z.string().optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  context: z
    .object({
      message_id: z.string().optional(),
      from: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  referral: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(messageErrorSchema).optional(),
  raw: z.record(z.string(), z.unknown()),
});
export type MessageReceivedPayload = z.infer<typeof messageReceivedPayloadSchema>;

export const outboundMessageTypes = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'interactive',
  'template',
  'reaction',
  'location',
  'contacts',
] as const;

/** Who caused an outbound message, so the warehouse can attribute it. */
export const attributionSchema = z.object({
  journey_id: z.string().optional(),
  reminder_id: z.string().optional(),
  operator_id: z.string().optional(),
  api_token_id: z.string().optional(),
  automation: z.string().optional(),
});

export const messageQueuedPayloadSchema = z.object({
  message_id: idString,
  /** The phone number it is addressed to (`to`); absent when it goes to a BSUID (`recipient`). */
  wa_id: z.string().min(1).optional(),
  /** The BSUID it is addressed to through the Cloud API's `recipient`, when no number is known. */
  recipient: z.string().min(1).optional(),
  message_type: z.enum(outboundMessageTypes),
  /** The Graph API request body exactly as it will be sent. */
  body: z.record(z.string(), z.unknown()),
  text: z.string().nullable().optional(),
  template: z.object({ name: z.string(), language: z.string() }).optional(),
  reply_to: z.string().optional(),
  attribution: attributionSchema.optional(),
});
export type MessageQueuedPayload = z.infer<typeof messageQueuedPayloadSchema>;

export const messageSentPayloadSchema = z.object({
  message_id: idString,
  external_id: z.string().min(1),
  attempts: z.number().int().positive(),
});

export const messageStatusPayloadSchema = z.object({
  /** Our message id when the status could be matched to a message we know. */
  message_id: idString.nullable().optional(),
  external_id: z.string().min(1).nullable(),
  status: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  recipient_id: z.string().optional(),
  /** The recipient's BSUID and parent BSUID, sent by Meta since 2026 (recipient_id may be absent). */
  recipient_user_id: z.string().optional(),
  recipient_parent_user_id: z.string().optional(),
  errors: z.array(messageErrorSchema).optional(),
  conversation: z
    .object({
      id: z.string().optional(),
      origin_type: z.string().optional(),
      expiration_timestamp: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
  pricing: z
    .object({
      billable: z.boolean().optional(),
      pricing_model: z.string().optional(),
      category: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
  biz_opaque_callback_data: z.string().optional(),
  raw: z.record(z.string(), z.unknown()).optional(),
});
export type MessageStatusPayload = z.infer<typeof messageStatusPayloadSchema>;

export const messageMarkedReadPayloadSchema = z.object({ external_id: z.string().min(1) });

export const messageEvents = [
  defineEvent('message.received', messageReceivedPayloadSchema),
  defineEvent('message.queued', messageQueuedPayloadSchema),
  defineEvent('message.sent', messageSentPayloadSchema),
  defineEvent('message.status', messageStatusPayloadSchema),
  defineEvent('message.marked_read', messageMarkedReadPayloadSchema),
] as const;
