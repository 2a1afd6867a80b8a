import { z } from 'zod';

/**
 * Schemas of the REST API for integrators. The same objects validate requests, shape
 * responses and generate the OpenAPI 3.1 document (api/openapi/build-document.ts): `id`
 * names a component, `examples` feed the reference page and the test that walks the document.
 * Request objects are strict: an unknown field is refused with a field error.
 */

export const idOf = (what: string, example: string) =>
  z
    .string()
    .regex(/^\d+$/)
    .meta({
      description: `${what} id (a decimal string: ids exceed JavaScript numbers)`,
      examples: [example],
    });
export const timestamp = z.iso.datetime();
export const waId = z
  .string()
  .regex(/^\d{5,20}$/, 'a WhatsApp id is the phone number in digits, with country code')
  .meta({
    description: 'The WhatsApp id: the phone number in digits, with country code',
    examples: ['27820000001'],
  });
export const channelName = z
  .string()
  .min(1)
  .meta({
    description: 'Channel name (see GET /v1/channels); may be left out when one channel runs',
    examples: ['whatsapp'],
  });

export const fieldErrorSchema = z
  .object({ field: z.string(), reason: z.string() })
  .meta({ id: 'FieldError' });
export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'bad_request',
        'validation_failed',
        'unauthorized',
        'forbidden',
        'not_found',
        'conflict',
        'window_closed',
        'contact_blocked',
        'insufficient_funds',
        'payload_too_large',
        'rate_limited',
        'unavailable',
        'internal',
      ]),
      message: z.string(),
      fields: z.array(fieldErrorSchema),
    }),
  })
  .meta({
    id: 'Error',
    description: 'Every error has this shape; `fields` names each invalid field and why.',
  });

export const idParamsSchema = z.strictObject({ id: idOf('Resource', '1') });
export const deliveryParamsSchema = z.strictObject({
  id: idOf('Webhook', '1'),
  deliveryId: idOf('Delivery', '1'),
});
export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional().meta({ description: 'Page size (default 50)' }),
  before: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .meta({ description: 'Only items with a smaller id (the next page)' }),
});
