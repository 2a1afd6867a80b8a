import type { Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import { failPendingSends } from '../../core/outbox/fail-pending-sends.js';
import type { OptIn, PersonRecord } from './person-record.js';

/** The profile as a person operation changes it: built-in fields plus custom field values. */
export interface Profile {
  name: string | null;
  language: string | null;
  timezone: string | null;
  opt_in: OptIn;
  blocked: boolean;
  labels: string[];
  fields: Record<string, unknown>;
}

export type Changes = Record<string, { from: unknown; to: unknown }>;

/**
 * The `changes` of a contact.updated event between two profiles: built-in fields by name
 * (labels as the whole sorted list), custom fields by key, null for an absent value.
 */
export function diffProfiles(before: Profile, after: Profile): Changes {
  const changes: Changes = {};
  for (const key of ['name', 'language', 'timezone', 'opt_in', 'blocked'] as const) {
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  }
  if (!sameLabels(before.labels, after.labels)) {
    changes.labels = { from: before.labels, to: after.labels };
  }
  const keys = new Set([...Object.keys(before.fields), ...Object.keys(after.fields)]);
  for (const key of [...keys].sort()) {
    const from = before.fields[key] ?? null;
    const to = after.fields[key] ?? null;
    if (from !== to) changes[key] = { from, to };
  }
  return changes;
}

/**
 * Writes `after` to the person's row and appends contact.updated with `by`, in the caller's
 * transaction (the row must be locked `for update`). Nothing is written when nothing changed.
 */
export async function saveProfile(
  tx: Tx,
  before: PersonRecord,
  after: Profile,
  options: { by: string; source?: string; idempotencyKey?: string },
): Promise<PersonRecord> {
  const changes = diffProfiles(before, after);
  if (Object.keys(changes).length === 0) return before;
  const row = await tx
    .updateTable('contacts')
    .set({
      name: after.name,
      language: after.language,
      timezone: after.timezone,
      opt_in: after.opt_in,
      blocked: after.blocked,
      labels: after.labels,
      fields: JSON.stringify(after.fields),
      updated_at: new Date(),
    })
    .where('id', '=', before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await append(tx, [
    {
      type: 'contact.updated',
      source: options.source ?? 'api',
      channel: row.channel,
      contact_id: row.id,
      idempotency_key: options.idempotencyKey,
      payload: { changes, by: options.by },
    },
  ]);
  // Blocking stops what is already queued or waiting to retry, not only new messages.
  if (!before.blocked && after.blocked)
    await failPendingSends(tx, { contactId: row.id, reason: 'contact blocked' });
  return row;
}

/** Whether two stored (normalised) label lists are the same. */
export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

/** Labels as stored: trimmed, empty ones dropped, case kept, unique, sorted by code point. */
export function normaliseLabels(labels: readonly string[]): string[] {
  const set = new Set(labels.map((l) => l.trim()).filter((l) => l.length > 0));
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
