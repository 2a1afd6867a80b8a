import { z } from 'zod';

/**
 * Fields every event carries besides its payload. `source` names who produced the event
 * (a channel such as `whatsapp` or `simulator`, or `sender`, `api`, `engine`, ...);
 * idempotency keys are unique per source, so a retried webhook or job appends nothing new.
 */
export const envelopeShape = {
  schema_version: z.number().int().positive().default(1),
  occurred_at: z.coerce.date().optional(),
  contact_id: z
    .union([z.string().regex(/^\d+$/), z.number().int().positive()])
    .nullable()
    .optional(),
  channel: z.string().min(1).nullable().optional(),
  source: z.string().min(1),
  idempotency_key: z.string().min(1).max(512).nullable().optional(),
};

/** Builds one member of the event union: a literal type plus its payload schema. */
export function defineEvent<T extends string, P extends z.ZodType>(type: T, payload: P) {
  return z.object({ type: z.literal(type), ...envelopeShape, payload });
}

/** Ids of our own rows travel as decimal strings: Postgres bigint exceeds JS numbers. */
export const idString = z.string().regex(/^\d+$/, 'must be a decimal id');
