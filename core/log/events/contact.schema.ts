import { z } from 'zod';
import { defineEvent } from './envelope.js';

export const contactCreatedPayloadSchema = z.object({
  wa_id: z.string().min(1),
  name: z.string().nullable().optional(),
  channel: z.string().min(1),
});

/** One entry per changed field, with the value before and after. */
export const contactUpdatedPayloadSchema = z.object({
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  by: z.string().min(1),
});

export const contactEvents = [
  defineEvent('contact.created', contactCreatedPayloadSchema),
  defineEvent('contact.updated', contactUpdatedPayloadSchema),
] as const;
