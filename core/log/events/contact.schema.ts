import { z } from 'zod';
import { defineEvent } from './envelope.js';

export const contactCreatedPayloadSchema = z.object({
  wa_id: z.string().min(1),
  name: z.string().nullable().optional(),
  channel: z.string().min(1),
});

/**
 * Profile fields with a column of their own (in Postgres `contacts` and the warehouse's
 * `contacts`). Any other key of `changes` is a custom field's key (see custom fields in
 * engine/people), so custom field keys may not be one of these.
 */
export const builtInContactFields = ['name', 'language', 'timezone', 'opt_in', 'blocked', 'labels'] as const;
export type BuiltInContactField = (typeof builtInContactFields)[number];

/**
 * Who made a change, as `kind` or `kind:id`: `whatsapp` (a new profile name), `user:<id>` (a
 * member in the dashboard), `api_token:<id>`, `import:<import id>`, `journey:<id>`, `system`.
 */
export const changedBySchema = z.string().min(1);

/**
 * One entry per changed field, with the value before and after. Values: `name`, `language`,
 * `timezone` strings or null; `opt_in` 'unknown' | 'opted_in' | 'opted_out'; `blocked`
 * boolean; `labels` the whole sorted label list; a custom field its typed value (text,
 * number, boolean, ISO date or datetime text, or a choice's key), null when cleared.
 */
export const contactUpdatedPayloadSchema = z.object({
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  by: changedBySchema,
});

/**
 * A data-protection erasure of the person whose id is the event's contact_id. It carries no
 * personal data itself. Every consumer applies it: Postgres state and the log's payloads of
 * the person are blanked in the same transaction that appends it, and each mirror (DuckDB,
 * Parquet, BigQuery) blanks its copies when it reads it. Counts stay (rows are kept).
 */
export const contactErasedPayloadSchema = z.object({
  by: changedBySchema,
  /** Free text such as a ticket number; must not contain personal data. */
  reason: z.string().max(500).optional(),
  /**
   * Ids of events that named no contact but held the person's identifiers (a status that
   * matched no message, an unrecognised webhook body), rewritten by the same erasure: the
   * mirrors blank their copies of exactly these.
   */
  events: z.array(z.string().regex(/^\d+$/)).optional(),
  /**
   * `[event id, message id]` of the statuses and read markers that found their message by
   * its wamid (not by our id): the erasure hashed the wamid, so a mirror that read one side
   * before and the other after joins them by this link instead.
   */
  links: z.array(z.tuple([z.string().regex(/^\d+$/), z.string().regex(/^\d+$/)])).optional(),
});

export const contactEvents = [
  defineEvent('contact.created', contactCreatedPayloadSchema),
  defineEvent('contact.updated', contactUpdatedPayloadSchema),
  defineEvent('contact.erased', contactErasedPayloadSchema),
] as const;
