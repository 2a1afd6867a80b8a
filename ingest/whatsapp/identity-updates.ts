import { z } from 'zod';
import type { ChannelUpdate } from './parse-webhook.js';
import { unixSecondsSchema } from './webhook-payload.schema.js';

/** A person's identifiers changed, reported outside a message. */
export interface IdentityUpdate {
  phone: string | null;
  bsuid: string | null;
  parentBsuid: string | null;
  previousBsuid: string | null;
  occurredAt: Date;
}

/** A person stopped or resumed marketing messages. */
export interface PreferenceUpdate {
  phone: string | null;
  bsuid: string | null;
  parentBsuid: string | null;
  name: string | null;
  optIn: 'opted_in' | 'opted_out';
  detail: string | null;
  occurredAt: Date;
}

const previousCurrent = z.looseObject({
  previous: z.string().min(1).optional(),
  current: z.string().min(1).optional(),
});

/**
 * The `user_id_update` field: a person's BSUID was regenerated (after a phone number change).
 * Partners document it with `user_id: {previous, current}` (and the same for
 * `parent_user_id`); a flat `previous_user_id` / `user_id` is accepted too.
 */
const userIdUpdateSchema = z.looseObject({
  wa_id: z.string().min(1).optional(),
  user_id: z.union([z.string().min(1), previousCurrent]).optional(),
  previous_user_id: z.string().min(1).optional(),
  parent_user_id: z.union([z.string().min(1), previousCurrent]).optional(),
  timestamp: unixSecondsSchema.optional(),
});

/**
 * Meta's user_preferences webhook: `value` is `stop` or `resume` for the category
 * `marketing_messages`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences
 */
const userPreferenceSchema = z.looseObject({
  wa_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
  detail: z.string().optional(),
  category: z.string(),
  value: z.string(),
  timestamp: unixSecondsSchema,
});

const contactsSchema = z
  .array(
    z.looseObject({
      wa_id: z.string().optional(),
      user_id: z.string().optional(),
      profile: z.looseObject({ name: z.string().optional() }).optional(),
    }),
  )
  .optional();

/** Identity changes and marketing preferences in a webhook's account-level updates. */
export function identityUpdates(updates: readonly ChannelUpdate[]): {
  identities: IdentityUpdate[];
  preferences: PreferenceUpdate[];
} {
  const identities: IdentityUpdate[] = [];
  const preferences: PreferenceUpdate[] = [];
  for (const u of updates) {
    if (u.field === 'user_id_update') {
      for (const raw of asArray(u.value.user_id_update)) {
        const parsed = userIdUpdateSchema.safeParse(raw);
        if (!parsed.success) continue;
        const p = parsed.data;
        const current = typeof p.user_id === 'string' ? p.user_id : p.user_id?.current;
        const previous = typeof p.user_id === 'string' ? p.previous_user_id : p.user_id?.previous;
        const parent = typeof p.parent_user_id === 'string' ? p.parent_user_id : p.parent_user_id?.current;
        if (!current) continue;
        identities.push({
          phone: p.wa_id ?? null,
          bsuid: current,
          parentBsuid: parent ?? null,
          previousBsuid: previous ?? null,
          occurredAt: p.timestamp ?? u.occurredAt ?? new Date(0),
        });
      }
    }
    if (u.field === 'user_preferences') {
      const contacts = contactsSchema.safeParse(u.value.contacts);
      for (const raw of asArray(u.value.user_preferences)) {
        const parsed = userPreferenceSchema.safeParse(raw);
        if (!parsed.success || parsed.data.category !== 'marketing_messages') continue;
        const p = parsed.data;
        const optIn = p.value === 'stop' ? 'opted_out' : p.value === 'resume' ? 'opted_in' : null;
        if (!optIn || (!p.wa_id && !p.user_id)) continue;
        const contact = (contacts.success ? (contacts.data ?? []) : []).find(
          (c) => (p.wa_id && c.wa_id === p.wa_id) || (p.user_id && c.user_id === p.user_id),
        );
        preferences.push({
          phone: p.wa_id ?? null,
          bsuid: p.user_id ?? null,
          parentBsuid: p.parent_user_id ?? null,
          name: contact?.profile?.name || null,
          optIn,
          detail: p.detail ?? null,
          occurredAt: p.timestamp,
        });
      }
    }
  }
  return { identities, preferences };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
