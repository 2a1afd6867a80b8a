import { z } from 'zod';
import { timestamp } from './common.schema.js';

/** Webhook subscriptions and their delivery log (see common.schema.ts). */
const webhookUrl = z
  .string()
  .min(1)
  .max(2000)
  .meta({
    description: 'Where events are POSTed; loopback, private and link-local addresses are refused',
    examples: ['https://integrations.example.org/parley'],
  });
const eventTypes = z
  .array(z.string().min(1))
  .min(1)
  .meta({ examples: [['message.received', 'message.status']] });
export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(z.string()),
    active: z.boolean(),
    failing: z.boolean().meta({ description: 'Recent deliveries keep failing (the alert)' }),
    failing_since: timestamp.nullable(),
    consecutive_failures: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Webhook' });
export const webhookCreatedSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: 'Signing secret, shown this once' }) })
  .meta({ id: 'WebhookCreated' });
export const webhookListSchema = z.object({ data: z.array(webhookSchema) }).meta({ id: 'WebhookList' });
export const webhookCreateSchema = z
  .strictObject({
    url: webhookUrl,
    event_types: eventTypes,
    description: z
      .string()
      .max(500)
      .nullable()
      .optional()
      .meta({ examples: ['CRM sync'] }),
    active: z.boolean().optional(),
  })
  .meta({ id: 'WebhookCreate' });
export const webhookUpdateSchema = z
  .strictObject({
    url: webhookUrl.optional(),
    event_types: eventTypes.optional(),
    description: z.string().max(500).nullable().optional(),
    active: z
      .boolean()
      .optional()
      .meta({ examples: [true] }),
  })
  .meta({ id: 'WebhookUpdate' });
export const deliverySchema = z
  .object({
    id: z.string(),
    subscription_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    state: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: timestamp.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: timestamp.nullable(),
    created_at: timestamp,
    attempt_log: z.array(
      z.object({
        attempt: z.number().int(),
        started_at: timestamp,
        status_code: z.number().int().nullable(),
        latency_ms: z.number().int(),
        error: z.string().nullable(),
        response_excerpt: z.string().nullable(),
        replay: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'WebhookDelivery' });
export const deliveryListSchema = z
  .object({ data: z.array(deliverySchema) })
  .meta({ id: 'WebhookDeliveryList' });
