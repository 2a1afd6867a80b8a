import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { NewEvent } from '../log/event.schema.js';

export const identityColumns = [
  'id',
  'wa_id',
  'bsuid',
  'parent_bsuid',
  'username',
  'name',
  'last_inbound_at',
] as const;

export interface IdentityRow {
  id: string;
  wa_id: string | null;
  bsuid: string | null;
  parent_bsuid: string | null;
  username: string | null;
  name: string | null;
  last_inbound_at: Date | null;
}

/**
 * The live (not merged) people of a channel holding any of these identifiers, locked in id
 * order. NO KEY UPDATE, not UPDATE: a plain FOR UPDATE also blocks the foreign-key checks of
 * concurrent inserts that refer to these people (a sender settling a send, a consumer
 * appending a charge), and a webhook holding it while it waits for a message row that such
 * an insert holds is a deadlock. Resolutions still queue on each other (advisory locks).
 */
export async function loadPeople(
  tx: DbOrTx,
  channel: string,
  phones: readonly string[],
  bsuids: readonly string[],
): Promise<IdentityRow[]> {
  if (phones.length === 0 && bsuids.length === 0) return [];
  const { rows } = await sql<IdentityRow>`
    select id::text, wa_id, bsuid, parent_bsuid, username, name, last_inbound_at from contacts
    where channel = ${channel} and merged_into is null
      and (wa_id = any(${phones}::text[]) or bsuid = any(${bsuids}::text[]))
    order by id
    for no key update`.execute(tx);
  return rows;
}

/**
 * Merges `merged` into `survivor` (the older person, docs/identities.md), in the caller's
 * transaction: the merged person's messages move to the survivor; the survivor keeps its own
 * profile and takes from the merged one only what it lacks (name, language, timezone,
 * custom field values, opt-ins) plus the union of labels and the later service window; the
 * merged row keeps its id (the log refers to it) with merged_into set and its identifiers
 * moved. Returns contact.merged, then contact.updated of what the survivor's profile gained,
 * so that every mirror can follow. `survivor` is updated in place.
 */
export async function mergePeople(
  tx: DbOrTx,
  options: {
    channel: string;
    source: string;
    by: string;
    survivor: IdentityRow;
    merged: IdentityRow;
    at: Date;
  },
): Promise<NewEvent[]> {
  const { survivor, merged } = options;
  const before = await profiles(tx, [survivor.id, merged.id]);
  const s = before.get(survivor.id)!;
  const m = before.get(merged.id)!;
  // Frees the unique identifiers before the survivor takes them.
  await tx
    .updateTable('contacts')
    .set({
      merged_into: survivor.id,
      wa_id: null,
      bsuid: null,
      parent_bsuid: null,
      username: null,
      updated_at: new Date(),
    })
    .where('id', '=', merged.id)
    .execute();
  await tx
    .updateTable('messages')
    .set({ contact_id: survivor.id })
    .where('contact_id', '=', merged.id)
    .execute();

  const labels = [...new Set([...s.labels, ...m.labels])].sort();
  const fields = { ...m.fields, ...s.fields };
  const gained: Record<string, { from: unknown; to: unknown }> = {};
  const take = <K extends 'name' | 'language' | 'timezone'>(key: K) => {
    if (s[key] === null && m[key] !== null) gained[key] = { from: null, to: m[key] };
  };
  take('name');
  take('language');
  take('timezone');
  if (s.opt_in === 'unknown' && m.opt_in !== 'unknown') gained.opt_in = { from: s.opt_in, to: m.opt_in };
  if (labels.join('\n') !== [...s.labels].sort().join('\n')) gained.labels = { from: s.labels, to: labels };
  for (const [key, value] of Object.entries(m.fields)) {
    if (!(key in s.fields)) gained[key] = { from: null, to: value };
  }
  const identities = {
    wa_id: survivor.wa_id ?? merged.wa_id,
    bsuid: survivor.bsuid ?? merged.bsuid,
    parent_bsuid: survivor.parent_bsuid ?? merged.parent_bsuid,
    username: survivor.username ?? merged.username,
  };
  const lastInbound =
    [survivor.last_inbound_at, merged.last_inbound_at]
      .filter((d): d is Date => d !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const marketing = s.marketing_opt_in === 'unknown' && m.marketing_opt_in !== 'unknown';
  const row = await tx
    .updateTable('contacts')
    .set({
      ...identities,
      name: s.name ?? m.name,
      language: s.language ?? m.language,
      timezone: s.timezone ?? m.timezone,
      opt_in: s.opt_in === 'unknown' ? m.opt_in : s.opt_in,
      labels,
      fields: JSON.stringify(fields),
      last_inbound_at: lastInbound,
      ...(marketing && {
        marketing_opt_in: m.marketing_opt_in,
        marketing_opt_in_at: m.marketing_opt_in_at,
        marketing_opt_in_source: m.marketing_opt_in_source,
      }),
      updated_at: new Date(),
    })
    .where('id', '=', survivor.id)
    .returning(['id', 'wa_id', 'bsuid', 'parent_bsuid', 'username', 'name', 'last_inbound_at'])
    .executeTakeFirstOrThrow();

  const common = {
    source: options.source,
    channel: options.channel,
    contact_id: survivor.id,
    occurred_at: options.at,
  };
  const events: NewEvent[] = [
    {
      ...common,
      type: 'contact.merged',
      payload: { surviving_contact_id: survivor.id, merged_contact_id: merged.id, by: options.by },
    },
  ];
  const kinds = [
    ['phone', 'wa_id'],
    ['bsuid', 'bsuid'],
    ['parent_bsuid', 'parent_bsuid'],
    ['username', 'username'],
  ] as const;
  for (const [kind, column] of kinds) {
    const value = identities[column];
    if (survivor[column] === null && value !== null)
      events.push({ ...common, type: 'contact.identity_added', payload: { kind, value, by: options.by } });
  }
  if (Object.keys(gained).length > 0)
    events.push({ ...common, type: 'contact.updated', payload: { changes: gained, by: options.by } });
  if (marketing && m.marketing_opt_in !== 'unknown') {
    events.push({
      ...common,
      type: 'contact.marketing_preference',
      payload: {
        marketing_opt_in: m.marketing_opt_in,
        at: (m.marketing_opt_in_at ?? options.at).toISOString(),
        source: m.marketing_opt_in_source ?? 'merge',
      },
    });
  }
  Object.assign(survivor, row);
  return events;
}

async function profiles(tx: DbOrTx, ids: string[]) {
  const rows = await tx
    .selectFrom('contacts')
    .select([
      'id',
      'name',
      'language',
      'timezone',
      'opt_in',
      'labels',
      'fields',
      'marketing_opt_in',
      'marketing_opt_in_at',
      'marketing_opt_in_source',
    ])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { ...r, fields: (r.fields ?? {}) as Record<string, unknown>, labels: r.labels ?? [] },
    ]),
  );
}
