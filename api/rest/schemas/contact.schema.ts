import { z } from 'zod';
import { channelName, timestamp, waId } from './common.schema.js';

const optInSchema = z
  .enum(['unknown', 'opted_in', 'opted_out'])
  .meta({ description: 'Whether the person agreed to receive messages' });

/** Contacts in the REST API (see common.schema.ts for how these schemas are used). */
export const contactSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    wa_id: z.string().nullable().meta({
      description:
        'Phone number; null for a person WhatsApp shares no number of (they took a username). Masked (+27 *******01) unless the token has the pii.read scope',
    }),
    bsuid: z
      .string()
      .nullable()
      .meta({
        description:
          "WhatsApp's business-scoped user id (e.g. KE.7730591826604417). Masked (KE.**************17) without pii.read",
        examples: ['KE.7730591826604417'],
      }),
    parent_bsuid: z
      .string()
      .nullable()
      .meta({ description: 'Parent BSUID (linked business portfolios); masked without pii.read' }),
    username: z
      .string()
      .nullable()
      .meta({ description: 'WhatsApp username (display only, changes freely); masked without pii.read' }),
    name: z.string().nullable(),
    marketing_opt_in: z.enum(['unknown', 'opted_in', 'opted_out']).meta({
      description:
        "Whether the person stopped (opted_out) or resumed (opted_in) marketing messages (Meta's user_preferences webhook); marketing templates are refused when opted_out",
    }),
    masked: z
      .boolean()
      .meta({ description: 'Whether wa_id, bsuid, parent_bsuid, username and name are masked' }),
    created_at: timestamp,
    updated_at: timestamp,
    last_inbound_at: timestamp
      .nullable()
      .meta({ description: "The person's last message: start of the 24-hour window" }),
    // --- The whole person (profile, labels, custom fields); never masked: not personal data by themselves.
    language: z.string().nullable().meta({ description: 'Preferred language code, e.g. en, zu, pt_BR' }),
    timezone: z
      .string()
      .nullable()
      .meta({ description: "IANA time zone; null: derived from the phone number's country" }),
    opt_in: optInSchema,
    blocked: z.boolean().meta({ description: 'A blocked person is sent nothing' }),
    labels: z.array(z.string()).meta({ description: 'Sorted, without duplicates' }),
    custom_fields: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Custom field values by key (GET /v1/custom-fields)' }),
    erased_at: timestamp.nullable().meta({ description: "When the person's personal data was erased" }),
    // --- Identity fields (BSUID, username) join here.
  })
  .meta({ id: 'Contact' });
export const contactListSchema = z.object({ data: z.array(contactSchema) }).meta({ id: 'ContactList' });
export const contactListQuerySchema = z.strictObject({
  channel: z.string().min(1).optional(),
  wa_id: z
    .string()
    .regex(/^\d{5,20}$/)
    .optional()
    .meta({ description: 'Find the contact with this WhatsApp id' }),
  bsuid: z
    .string()
    .regex(/^[A-Z]{2}\.[0-9A-Za-z]+$/)
    .optional()
    .meta({ description: 'Find the contact with this business-scoped user id' }),
  after: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .meta({ description: 'Only contacts with a larger id (the next page)' }),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const contactCreateSchema = z
  .strictObject({
    channel: channelName.optional(),
    wa_id: waId.optional().meta({ examples: ['27820000002'] }),
    bsuid: z
      .string()
      .regex(/^[A-Z]{2}\.[0-9A-Za-z]+$/, 'a BSUID is a country code, a dot and digits')
      .optional()
      .meta({
        description: 'For a person known by their business-scoped user id only; give wa_id or bsuid',
        examples: ['KE.7730591826604417'],
      }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .meta({ examples: ['Thandi Mokoena'] }),
  })
  .meta({ id: 'ContactCreate' });
export const contactUpdateSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .meta({ examples: ['Thandi M.'] }),
    language: z
      .string()
      .max(20)
      .nullable()
      .optional()
      .meta({ examples: ['zu'] }),
    timezone: z
      .string()
      .max(64)
      .nullable()
      .optional()
      .meta({ examples: ['Africa/Johannesburg'] }),
    opt_in: optInSchema.optional(),
    blocked: z.boolean().optional(),
    labels: z
      .array(z.string().max(100))
      .max(200)
      .optional()
      .meta({
        description: 'The whole list of labels (replaces the current one)',
        examples: [['pregnant', 'north']],
      }),
    custom_fields: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description:
          'Values by custom field key, checked against the field type; null clears a value; keys not given stay',
        examples: [{ district: 'Umlazi' }],
      }),
  })
  .meta({ id: 'ContactUpdate' });
export const contactEraseQuerySchema = z.strictObject({
  reason: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: 'Why, e.g. a ticket number; never personal data', examples: ['DPR-2026-17'] }),
});
export const contactErasureSchema = z
  .object({
    id: z.string(),
    status: z
      .enum(['erased', 'already_erased'])
      .meta({ description: '`already_erased`: the person was erased before and nothing changed' }),
    erased_at: timestamp,
    scrubbed_events: z.number().int().meta({ description: 'Log events whose payload this call scrubbed' }),
    cancelled_messages: z
      .number()
      .int()
      .meta({ description: 'Outbound messages not yet sent that will now never be sent' }),
  })
  .meta({ id: 'ContactErasure' });
