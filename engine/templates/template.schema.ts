import { z } from 'zod';

/**
 * A template as submitted to Meta's `POST /{waba-id}/message_templates`, in Meta's creation
 * syntax, so what we store is exactly what Meta reviewed:
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
 * This schema checks only the shape; Meta's rules (lengths, variables, button counts) are
 * checked by validateTemplate, which names every broken field. Imports nothing but zod, so
 * the dashboard may share it.
 */

const namedExample = z.object({ param_name: z.string(), example: z.string() });

export const textHeaderSchema = z.object({
  type: z.literal('HEADER'),
  format: z.literal('TEXT'),
  text: z.string(),
  example: z
    .object({
      header_text: z.array(z.string()).optional(),
      header_text_named_params: z.array(namedExample).optional(),
    })
    .optional(),
});

export const mediaHeaderSchema = z.object({
  type: z.literal('HEADER'),
  format: z.enum(['IMAGE', 'VIDEO', 'DOCUMENT']),
  /** A handle from Meta's Resumable Upload API, shown to reviewers. */
  example: z.object({ header_handle: z.array(z.string()) }).optional(),
});

export const locationHeaderSchema = z.object({ type: z.literal('HEADER'), format: z.literal('LOCATION') });

export const bodySchema = z.object({
  type: z.literal('BODY'),
  /** Absent only in authentication templates, whose text Meta writes. */
  text: z.string().optional(),
  example: z
    .object({
      body_text: z.array(z.array(z.string())).optional(),
      body_text_named_params: z.array(namedExample).optional(),
    })
    .optional(),
  /** Authentication templates: Meta adds "For your security, do not share this code." */
  add_security_recommendation: z.boolean().optional(),
});

export const footerSchema = z.object({
  type: z.literal('FOOTER'),
  text: z.string().optional(),
  /** Authentication templates: "This code expires in N minutes." */
  code_expiration_minutes: z.number().int().optional(),
});

export const templateButtonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('QUICK_REPLY'), text: z.string() }),
  z.object({
    type: z.literal('URL'),
    text: z.string(),
    url: z.string(),
    /** The whole example URL when the URL ends in a variable. */
    example: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('PHONE_NUMBER'), text: z.string(), phone_number: z.string() }),
  z.object({ type: z.literal('COPY_CODE'), example: z.string() }),
  z.object({
    type: z.literal('OTP'),
    otp_type: z.enum(['COPY_CODE', 'ONE_TAP', 'ZERO_TAP']),
    text: z.string().optional(),
  }),
]);

export const buttonsSchema = z.object({ type: z.literal('BUTTONS'), buttons: z.array(templateButtonSchema) });

export const templateComponentSchema = z.union([
  textHeaderSchema,
  mediaHeaderSchema,
  locationHeaderSchema,
  bodySchema,
  footerSchema,
  buttonsSchema,
]);

export const templateInputSchema = z.object({
  name: z.string(),
  language: z.string(),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
  /** Meta's `parameter_format`: positional {{1}} (the default) or named {{first_name}}. */
  parameter_format: z.enum(['positional', 'named']).default('positional'),
  components: z.array(templateComponentSchema),
});

/** What may change in an existing template (Meta edits category and components only). */
export const templateEditSchema = z.object({
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']).optional(),
  components: z.array(templateComponentSchema),
});

export type TemplateInput = z.input<typeof templateInputSchema>;
export type ValidTemplateInput = z.output<typeof templateInputSchema>;
export type TemplateComponent = z.output<typeof templateComponentSchema>;
export type TemplateButton = z.output<typeof templateButtonSchema>;
export type TemplateEdit = z.output<typeof templateEditSchema>;
