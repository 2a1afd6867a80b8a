import { z } from 'zod';
import { templateEditSchema, templateInputSchema } from '../../../engine/templates/index.js';
import { idOf, timestamp, waId } from './common.schema.js';

/** Message templates in the REST API (docs/templates.md); components in Meta's creation syntax. */
export const templateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    language: z.string(),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
    parameter_format: z.enum(['positional', 'named']),
    components: z.array(z.record(z.string(), z.unknown())),
    status: z
      .string()
      .meta({ description: 'Last status Meta reported: PENDING, APPROVED, REJECTED, PAUSED, DISABLED...' }),
    status_reason: z.string().nullable().meta({
      description: "Meta's reason for the status, e.g. INVALID_FORMAT for a rejection; null when none",
    }),
    status_detail: z.record(z.string(), z.unknown()).nullable(),
    meta_template_id: z.string().nullable(),
    created_by: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Template' });
export const templateListSchema = z.object({ data: z.array(templateSchema) }).meta({ id: 'TemplateList' });

const example = {
  name: 'clinic_reminder',
  language: 'en',
  category: 'UTILITY',
  components: [
    {
      type: 'BODY',
      text: 'Hello {{1}}, your visit is on {{2}}.',
      example: { body_text: [['Thandi', '5 May']] },
    },
  ],
};
export const templateCreateSchema = templateInputSchema.meta({ id: 'TemplateCreate', examples: [example] });
export const templateUpdateSchema = templateEditSchema.meta({
  id: 'TemplateUpdate',
  examples: [{ components: example.components }],
});
export const templateListQuerySchema = z.strictObject({ status: z.string().min(1).optional() });

const values = z.record(z.string(), z.string());
export const templateSendSchema = z
  .strictObject({
    contact_id: idOf('Contact', '42').optional(),
    wa_id: waId.optional(),
    values: z
      .strictObject({ header: values.optional(), body: values.optional(), buttons: values.optional() })
      .default({})
      .meta({
        description: 'Values by variable ({"1": "Thandi"} or {"first_name": "Thandi"}); buttons by index',
      }),
    header_media: z.strictObject({ link: z.url() }).optional(),
  })
  .refine((b) => (b.contact_id === undefined) !== (b.wa_id === undefined), {
    message: 'give exactly one of contact_id or wa_id',
    path: ['contact_id'],
  })
  .meta({
    id: 'TemplateSend',
    examples: [{ wa_id: '27820000001', values: { body: { '1': 'Thandi', '2': '5 May' } } }],
  });
export const templateQueuedSchema = z
  .object({ message_id: z.string(), contact_id: z.string(), template_id: z.string() })
  .meta({ id: 'TemplateQueued' });
