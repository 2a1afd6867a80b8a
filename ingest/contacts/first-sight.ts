import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import type { NewEvent } from '../../core/log/event.schema.js';

/** A person seen in an inbound message. */
export interface Sighting {
  waId: string;
  /** Profile name as the channel reports it; null when it did not say. */
  name: string | null;
  /** When the message was sent (the channel's timestamp). */
  seenAt: Date;
  /** Start of a customer service window, or null when the message does not open one. */
  inboundAt: Date | null;
}

export interface FirstSightResult {
  /** Contact id (decimal string) by wa_id, for every sighting. */
  contactIds: Map<string, string>;
  /**
   * contact.created for new people, contact.updated for changed profile names. The caller
   * appends them in the same transaction, before the events that reference the contacts,
   * so that a whole webhook costs one append.
   */
  events: NewEvent[];
}

interface Row {
  wa_id: string;
  id: string | null;
  created: boolean;
  renamed: boolean;
  old_name: string | null;
  name: string | null;
  seen_at: Date;
}

/**
 * Finds or creates the contacts of a batch of sightings in one statement, in the caller's
 * transaction. Existing rows are locked first (in id order, so concurrent webhooks cannot
 * deadlock) and then:
 * - a new person gets a row and contact.created;
 * - a different profile name replaces the stored one, with contact.updated, unless the
 *   message is older than the last one seen (a late retry must not revert a newer name);
 * - last_inbound_at only moves forward (the sender's 24-hour window).
 * A retried webhook changes nothing and returns no events.
 */
export async function firstSight(
  tx: DbOrTx,
  options: { channel: string; source: string; by: string; sightings: readonly Sighting[] },
): Promise<FirstSightResult> {
  const result: FirstSightResult = { contactIds: new Map(), events: [] };
  let pending = merge(options.sightings);
  // contact.created happens at the earliest message of the batch, not the latest.
  const firstSeen = new Map<string, Date>();
  for (const s of options.sightings) {
    const known = firstSeen.get(s.waId);
    if (!known || s.seenAt < known) firstSeen.set(s.waId, s.seenAt);
  }
  // A person first seen by two webhooks at once: the loser's insert finds the winner's row
  // (ON CONFLICT DO NOTHING after waiting for it) and the next round reads it as existing.
  for (let round = 0; pending.length > 0; round++) {
    if (round === 3)
      throw new Error(`first sight: contacts ${pending.map((s) => s.waId).join(', ')} not resolved`);
    const rows = await upsert(tx, options.channel, pending);
    for (const row of rows.filter((r) => r.id !== null)) record(result, options, row, firstSeen);
    const missing = new Set(rows.filter((r) => r.id === null).map((r) => r.wa_id));
    pending = pending.filter((s) => missing.has(s.waId));
  }
  return result;
}

function record(
  result: FirstSightResult,
  options: { channel: string; source: string; by: string },
  row: Row,
  firstSeen: ReadonlyMap<string, Date>,
) {
  const id = row.id!;
  result.contactIds.set(row.wa_id, id);
  const common = {
    source: options.source,
    channel: options.channel,
    contact_id: id,
    occurred_at: row.seen_at,
  };
  if (row.created) {
    result.events.push({
      ...common,
      occurred_at: firstSeen.get(row.wa_id) ?? row.seen_at,
      type: 'contact.created',
      idempotency_key: `contact:${row.wa_id}`,
      payload: { wa_id: row.wa_id, name: row.name, channel: options.channel },
    });
  } else if (row.renamed) {
    result.events.push({
      ...common,
      type: 'contact.updated',
      idempotency_key: `contact-name:${row.wa_id}:${row.seen_at.getTime()}`,
      payload: { changes: { name: { from: row.old_name, to: row.name } }, by: options.by },
    });
  }
}

async function upsert(tx: DbOrTx, channel: string, sightings: readonly Sighting[]): Promise<Row[]> {
  const waIds = sightings.map((s) => s.waId);
  const names = sightings.map((s) => s.name);
  const seenAt = sightings.map((s) => s.seenAt.toISOString());
  const inboundAt = sightings.map((s) => s.inboundAt?.toISOString() ?? null);
  const { rows } = await sql<Row>`
    with input as (
      select * from unnest(${waIds}::text[], ${names}::text[], ${seenAt}::timestamptz[], ${inboundAt}::timestamptz[])
        as i(wa_id, name, seen_at, inbound_at)
    ),
    old as (
      select c.id, c.wa_id, c.name, c.last_inbound_at from contacts c
      where c.channel = ${channel} and c.wa_id = any(${waIds}::text[])
      order by c.id
      for update
    ),
    plan as (
      select i.*, o.id as old_id, o.name as old_name,
        (o.id is not null and i.name is not null and i.name is distinct from o.name
          and (o.last_inbound_at is null or i.seen_at >= o.last_inbound_at)) as renamed,
        (o.id is not null and i.inbound_at > coalesce(o.last_inbound_at, '-infinity')) as later
      from input i left join old o on o.wa_id = i.wa_id
    ),
    inserted as (
      insert into contacts (channel, wa_id, name, last_inbound_at)
      select ${channel}, wa_id, name, inbound_at from plan where old_id is null order by wa_id
      on conflict (channel, wa_id) do nothing
      returning id, wa_id
    ),
    updated as (
      update contacts c set
        name = case when p.renamed then p.name else c.name end,
        last_inbound_at = greatest(c.last_inbound_at, p.inbound_at),
        updated_at = now()
      from plan p
      where c.id = p.old_id and (p.renamed or p.later)
      returning c.id
    )
    select p.wa_id, coalesce(p.old_id, n.id)::text as id, n.id is not null as created,
      p.renamed, p.old_name, p.name, p.seen_at
    from plan p left join inserted n on n.wa_id = p.wa_id`.execute(tx);
  return rows;
}

/** One sighting per person: the latest time, the name of the latest message that had one. */
function merge(sightings: readonly Sighting[]): Sighting[] {
  const byWaId = new Map<string, Sighting & { namedAt: number }>();
  for (const s of sightings) {
    const current = byWaId.get(s.waId);
    if (!current) {
      byWaId.set(s.waId, { ...s, namedAt: s.name === null ? -1 : s.seenAt.getTime() });
      continue;
    }
    if (s.seenAt > current.seenAt) current.seenAt = s.seenAt;
    if (s.inboundAt && (!current.inboundAt || s.inboundAt > current.inboundAt))
      current.inboundAt = s.inboundAt;
    if (s.name !== null && s.seenAt.getTime() >= current.namedAt) {
      current.name = s.name;
      current.namedAt = s.seenAt.getTime();
    }
  }
  return [...byWaId.values()].map(({ namedAt: _, ...s }) => s);
}
