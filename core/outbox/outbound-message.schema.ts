import { z } from 'zod';
import { attributionSchema } from '../log/events/message.schema.js';
import { buttonsMessageSchema, listMessageSchema } from './outbound-interactive.schema.js';
import { templateMessageSchema } from './outbound-template.schema.js';

/**
 * What a caller (journeys, reminders, automations, operators, the REST API) may ask the
 * outbox to send. Limits follow Meta's Cloud API reference so that a message Meta would
 * refuse is refused here, with the field and the reason, before anything is queued:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 */

const mediaFields = {
  link: z.url('must be an absolute URL').optional(),
  id: z.string().min(1).optional(),
};
const oneSource = (m: { link?: string; id?: string }) => (m.link === undefined) !== (m.id === undefined);
const oneSourceIssue = { message: 'give exactly one of link or id', path: ['link'] };
const caption = z.string().min(1).max(1024, 'Meta allows at most 1,024 characters');
export const textMessageSchema = z.object({
  type: z.literal('text'),
  body: z.string().min(1).max(4096, 'Meta allows at most 4,096 characters'),
  preview_url: z.boolean().optional(),
});

export const imageMessageSchema = z
  .object({ type: z.literal('image'), ...mediaFields, caption: caption.optional() })
  .refine(oneSource, oneSourceIssue);
export const audioMessageSchema = z
  .object({ type: z.literal('audio'), ...mediaFields })
  .refine(oneSource, oneSourceIssue);
export const videoMessageSchema = z
  .object({ type: z.literal('video'), ...mediaFields, caption: caption.optional() })
  .refine(oneSource, oneSourceIssue);
export const documentMessageSchema = z
  .object({
    type: z.literal('document'),
    ...mediaFields,
    caption: caption.optional(),
    filename: z.string().min(1).max(240).optional(),
  })
  .refine(oneSource, oneSourceIssue);
export const stickerMessageSchema = z
  .object({ type: z.literal('sticker'), ...mediaFields })
  .refine(oneSource, oneSourceIssue);

export const reactionMessageSchema = z.object({
  type: z.literal('reaction'),
  message_id: z.string().min(1),
  /** An empty string removes an earlier reaction (Meta's convention). */
  emoji: z.string().max(16),
});

export const locationMessageSchema = z.object({
  type: z.literal('location'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().min(1).optional(),
  address: z.string().min(1).optional(),
});

export const contactCardSchema = z.object({
  name: z.object({
    formatted_name: z.string().min(1),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    middle_name: z.string().optional(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
  }),
  phones: z
    .array(z.object({ phone: z.string().min(1), type: z.string().optional(), wa_id: z.string().optional() }))
    .optional(),
  emails: z.array(z.object({ email: z.string().min(1), type: z.string().optional() })).optional(),
  urls: z.array(z.object({ url: z.string().min(1), type: z.string().optional() })).optional(),
  addresses: z
    .array(
      z.object({
        street: z.string().optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        zip: z.string().optional(),
        country: z.string().optional(),
        country_code: z.string().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
  org: z
    .object({
      company: z.string().optional(),
      department: z.string().optional(),
      title: z.string().optional(),
    })
    .optional(),
  birthday: z.iso.date().optional(),
});

export const contactsMessageSchema = z.object({
  type: z.literal('contacts'),
  contacts: z.array(contactCardSchema).min(1),
});

export const messageContentSchema = z.discriminatedUnion('type', [
  textMessageSchema,
  imageMessageSchema,
  audioMessageSchema,
  videoMessageSchema,
  documentMessageSchema,
  stickerMessageSchema,
  buttonsMessageSchema,
  listMessageSchema,
  templateMessageSchema,
  reactionMessageSchema,
  locationMessageSchema,
  contactsMessageSchema,
]);
export type MessageContent = z.infer<typeof messageContentSchema>;

export const outboundMessageSchema = z
  .object({
    channel: z.string().min(1),
    /** Our contact id; or give wa_id, and a missing contact is created (templates only: see queueMessage). */
    contact_id: z
      .union([z.string().regex(/^\d+$/, 'must be a decimal id'), z.number().int().positive()])
      .optional(),
    wa_id: z
      .string()
      .regex(/^\d{5,20}$/, 'a WhatsApp id is the phone number in digits')
      .optional(),
    /** A business-scoped user id, for a person Meta shares no phone number of (sent as `recipient`). */
    bsuid: z
      .string()
      .regex(
        /^[A-Z]{2}\.[0-9A-Za-z]+$/,
        'a BSUID is a country code, a dot and digits, e.g. KE.7730591826604417',
      )
      .optional(),
    /** The wamid this message answers (shown as a quoted reply). */
    reply_to: z.string().min(1).optional(),
    message: messageContentSchema,
    attribution: attributionSchema.optional(),
    /** Who is sending, recorded as the event source (engine, api, automation, ...). */
    source: z.string().min(1).default('outbox'),
  })
  .refine((m) => [m.contact_id, m.wa_id, m.bsuid].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of contact_id, wa_id or bsuid',
    path: ['contact_id'],
  });
export type OutboundMessage = z.input<typeof outboundMessageSchema>;
export type ValidOutboundMessage = z.output<typeof outboundMessageSchema>;
