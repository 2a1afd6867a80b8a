import { z } from 'zod';

/** Channels as GET /v1/channels lists them (see common.schema.ts). */
export const channelSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['whatsapp', 'simulator']),
    configured: z.boolean(),
    phone_number_id: z.string().nullable(),
    graph_url: z.string().nullable(),
    api_version: z.string().nullable(),
    rate_limit_per_second: z.number().int().nullable(),
    webhook_path: z.string().nullable(),
    missing: z
      .array(z.string())
      .meta({ description: 'Variables to set for an unconfigured WhatsApp number' }),
  })
  .meta({ id: 'Channel' });
export const channelListSchema = z.object({ data: z.array(channelSchema) }).meta({ id: 'ChannelList' });
