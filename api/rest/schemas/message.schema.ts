import { z } from 'zod';
import { messageContentSchema } from '../../../core/outbox/outbound-message.schema.js';
import { channelName, timestamp, waId } from './common.schema.js';

/** Sending messages and reading their status (see common.schema.ts). */
export const messageSendSchema = z
  .strictObject({
    channel: channelName.optional(),
    to: waId.optional().meta({ description: 'Recipient WhatsApp id; or give contact_id' }),
    contact_id: z
      .string()
      .regex(/^\d+$/)
      .optional()
      .meta({ description: 'Recipient contact id; or give to' }),
    reply_to: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The wamid this message answers (a quoted reply)' }),
    message: messageContentSchema.meta({
      id: 'MessageContent',
      description:
        'What to send: text, media (image, audio, video, document, sticker), interactive (buttons, list), template, reaction, location or contacts. Free-form messages need an open 24-hour window; templates do not.',
      examples: [{ type: 'text', body: 'Your appointment is tomorrow at 10:00.' }],
    }),
  })
  .meta({ id: 'MessageSend' });
export const messageAcceptedSchema = z
  .object({
    id: z.string(),
    contact_id: z.string(),
    channel: z.string(),
    status: z.literal('queued'),
  })
  .meta({ id: 'MessageAccepted' });
export const messageStatusSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    contact_id: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    type: z.string(),
    status: z.string().meta({ description: 'queued, sent, delivered, read or failed (inbound: received)' }),
    external_id: z
      .string()
      .nullable()
      .meta({ description: 'The WhatsApp message id (wamid), once accepted' }),
    error: z.object({ code: z.number().int(), title: z.string().nullable() }).nullable(),
    created_at: timestamp,
    status_at: timestamp,
    timestamps: z.object({
      queued: timestamp,
      sent: timestamp.nullable(),
      delivered: timestamp.nullable(),
      read: timestamp.nullable(),
      failed: timestamp.nullable(),
    }),
  })
  .meta({ id: 'MessageStatus' });
