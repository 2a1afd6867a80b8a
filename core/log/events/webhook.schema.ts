import { z } from 'zod';
import { defineEvent } from './envelope.js';

/** An authentic webhook that no schema recognised: kept whole, because nothing authentic is dropped. */
export const webhookUnrecognisedPayloadSchema = z.object({
  reason: z.string(),
  raw_body: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Account-level webhook fields (template status, quality, account updates...), kept as sent. */
export const channelUpdatePayloadSchema = z.object({
  field: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  entry_id: z.string().optional(),
});

export const webhookEvents = [
  defineEvent('webhook.unrecognised', webhookUnrecognisedPayloadSchema),
  defineEvent('channel.update', channelUpdatePayloadSchema),
] as const;
