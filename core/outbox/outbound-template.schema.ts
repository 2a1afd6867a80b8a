import { z } from 'zod';

/**
 * Template messages, the only kind allowed outside the 24-hour window:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */

const oneSource = (m: { link?: string; id?: string }) => (m.link === undefined) !== (m.id === undefined);
const oneSourceIssue = { message: 'give exactly one of link or id', path: ['link'] };

const mediaParameter = z
  .object({ link: z.url().optional(), id: z.string().min(1).optional() })
  .refine(oneSource, oneSourceIssue);
/** Template parameters as Meta names them; `parameter_name` is for templates with named parameters. */
export const templateParameterSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string().min(1),
    parameter_name: z.string().min(1).optional(),
  }),
  z.object({
    type: z.literal('currency'),
    currency: z.object({
      fallback_value: z.string().min(1),
      code: z.string().length(3),
      amount_1000: z.number().int(),
    }),
    parameter_name: z.string().min(1).optional(),
  }),
  z.object({
    type: z.literal('date_time'),
    date_time: z.object({ fallback_value: z.string().min(1) }),
    parameter_name: z.string().min(1).optional(),
  }),
  z.object({ type: z.literal('image'), image: mediaParameter }),
  z.object({ type: z.literal('video'), video: mediaParameter }),
  z.object({
    type: z.literal('document'),
    document: mediaParameter.and(z.object({ filename: z.string().optional() })),
  }),
  z.object({
    type: z.literal('location'),
    location: z.object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('payload'), payload: z.string().min(1) }),
]);

export const templateComponentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), parameters: z.array(templateParameterSchema).min(1) }),
  z.object({ type: z.literal('body'), parameters: z.array(templateParameterSchema).min(1) }),
  z.object({
    type: z.literal('button'),
    sub_type: z.enum(['quick_reply', 'url', 'copy_code']),
    index: z.number().int().min(0).max(9),
    parameters: z.array(templateParameterSchema).min(1),
  }),
]);

export const templateMessageSchema = z.object({
  type: z.literal('template'),
  name: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[a-z0-9_]+$/, 'template names are lowercase letters, digits and _'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en or en_US'),
  components: z.array(templateComponentSchema).optional(),
  /**
   * The template's category as approved by Meta, when the caller knows it: a marketing
   * template is refused to a person who stopped marketing messages. Not sent to Meta.
   */
  category: z
    .string()
    .toLowerCase()
    .pipe(z.enum(['marketing', 'utility', 'authentication']))
    .optional(),
});
