import { z } from 'zod';

/**
 * The envelope of a WhatsApp Cloud API webhook and the `value` of its `messages` field.
 * Meta's references:
 * - https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 * - https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/
 *
 * Objects are loose: fields Meta adds later are kept, because the whole message is stored
 * in the event's `raw`. Where Meta's own examples disagree with real payloads (numbers
 * versus strings, missing `profile`, missing `from`), the schemas accept both.
 */

/** Unix seconds: a string in real payloads, a number in Meta's documentation examples. */
export const unixSecondsSchema = z
  .union([
    z.string().regex(/^\d{1,12}$/, 'must be unix seconds'),
    z.number().int().nonnegative().max(1e12, 'must be unix seconds'),
  ])
  .transform((value) => new Date(Number(value) * 1000));

/** Errors on messages, statuses and values; `details` sits in `error_data` in newer versions. */
export const webhookErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  details: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WebhookError = z.infer<typeof webhookErrorSchema>;

/**
 * The sender of a message. `user_id` is the business-scoped user id (BSUID) that Meta adds
 * besides, or for people who adopted a username instead of, the phone number `wa_id`.
 */
export const webhookContactSchema = z.looseObject({
  wa_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
  /** Display only; changes freely. */
  username: z.string().min(1).optional(),
  country_code: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});
export type WebhookContact = z.infer<typeof webhookContactSchema>;

export const webhookChangeSchema = z.looseObject({
  field: z.string().min(1),
  value: z.unknown(),
});

export const webhookEntrySchema = z.looseObject({
  /** The WhatsApp Business Account id. */
  id: z.union([z.string().min(1), z.number()]).transform(String),
  /** Present on account-level fields such as message_template_status_update. */
  time: unixSecondsSchema.optional(),
  changes: z.array(webhookChangeSchema),
});

export const webhookPayloadSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(webhookEntrySchema),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/**
 * `value` of a change whose field is `messages`. Messages and statuses stay unknown here:
 * each is validated on its own, so one that matches no schema does not hide the others.
 */
export const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({
    display_phone_number: z.string(),
    phone_number_id: z.string(),
  }),
  contacts: z.array(webhookContactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  /** Errors about the whole change, e.g. a message Meta could not render (code 131000). */
  errors: z.array(webhookErrorSchema).optional(),
});
export type MessagesValue = z.infer<typeof messagesValueSchema>;

/** `value` of any other field (template status, quality, account updates...): kept as sent. */
export const otherFieldValueSchema = z.record(z.string(), z.unknown());
