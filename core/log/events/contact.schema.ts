import { z } from 'zod';
import { defineEvent } from './envelope.js';

/**
 * A new person. `wa_id` is their phone number; a person Meta shares no number of (they took
 * a username) is created with their BSUID instead, so one of the two is always there. The
 * identity fields are additive: events written before them carry `wa_id` only.
 */
export const contactCreatedPayloadSchema = z
  .object({
    wa_id: z.string().min(1).optional(),
    bsuid: z.string().min(1).optional(),
    parent_bsuid: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    name: z.string().nullable().optional(),
    channel: z.string().min(1),
  })
  .refine((p) => p.wa_id !== undefined || p.bsuid !== undefined, {
    message: 'a new person needs a phone number (wa_id) or a BSUID',
    path: ['wa_id'],
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

/** The kinds of WhatsApp identity a person has (docs/identities.md). */
export const identityKinds = ['phone', 'bsuid', 'parent_bsuid', 'username'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** A person gained an identifier they did not have (a number shared later, a new username...). */
export const contactIdentityAddedPayloadSchema = z.object({
  kind: z.enum(identityKinds),
  value: z.string().min(1),
  by: changedBySchema,
});

/** An identifier of the person was replaced (a BSUID regenerated after a number change...). */
export const contactIdentityChangedPayloadSchema = z.object({
  kind: z.enum(identityKinds),
  from: z.string().min(1),
  to: z.string().min(1),
  by: changedBySchema,
  /** What reported it: `message`, `status`, `user_changed_number`, `user_changed_user_id`, `user_id_update`. */
  reason: z.string().min(1).optional(),
});

/**
 * Two people were found to be one (a webhook brought a BSUID of one and the phone number of
 * the other). The event's contact_id is the survivor, the older person; the merged person's
 * messages, labels, fields and identifiers moved to it, and its row stays with merged_into set.
 */
export const contactMergedPayloadSchema = z.object({
  surviving_contact_id: z.string().regex(/^\d+$/),
  merged_contact_id: z.string().regex(/^\d+$/),
  by: changedBySchema,
});

/**
 * The person stopped (`opted_out`) or resumed (`opted_in`) marketing messages, reported by
 * Meta's user_preferences webhook (source `whatsapp`) or set by an operator, import or API.
 */
export const contactMarketingPreferencePayloadSchema = z.object({
  marketing_opt_in: z.enum(['opted_in', 'opted_out']),
  at: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  detail: z.string().optional(),
});

export const contactEvents = [
  defineEvent('contact.created', contactCreatedPayloadSchema),
  defineEvent('contact.updated', contactUpdatedPayloadSchema),
  defineEvent('contact.erased', contactErasedPayloadSchema),
  defineEvent('contact.identity_added', contactIdentityAddedPayloadSchema),
  defineEvent('contact.identity_changed', contactIdentityChangedPayloadSchema),
  defineEvent('contact.merged', contactMergedPayloadSchema),
  defineEvent('contact.marketing_preference', contactMarketingPreferencePayloadSchema),
] as const;
