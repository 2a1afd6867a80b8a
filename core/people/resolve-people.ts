import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { NewEvent } from '../log/event.schema.js';
import { type IdentityRow, identityColumns, loadPeople, mergePeople } from './merge-people.js';

/**
 * What one webhook, send, import row or API call says about a person. Every field but
 * `seenAt` is optional: Meta sends a phone number only while its rules allow, a BSUID always
 * since 2026, a username when the person has one.
 */
export interface PersonSighting {
  /** Phone number (wa_id), digits of E.164. Never a BSUID. */
  phone?: string | null;
  /** Business-scoped user id, `CC.digits`. */
  bsuid?: string | null;
  parentBsuid?: string | null;
  username?: string | null;
  /** Profile name as the channel reports it; null or absent when it did not say. */
  name?: string | null;
  /** When the channel saw the person (the message's timestamp), or now. */
  seenAt: Date;
  /** When a batch saw them first, if earlier than seenAt: a new person is created at that time. */
  firstSeenAt?: Date;
  /** Start of a customer service window, when the sighting opens one. */
  inboundAt?: Date | null;
  /**
   * The BSUID (or phone number) the person had before, when Meta reports a change
   * (user_changed_number, user_changed_user_id, user_id_update): the person is found by it.
   */
  previousBsuid?: string | null;
  previousPhone?: string | null;
  /** Why identifiers changed, carried by contact.identity_changed (`user_changed_number`...). */
  reason?: string;
  /** Only find this person, never create them (a status, an identity change of someone unknown). */
  findOnly?: boolean;
}

export interface ResolvePeopleOptions {
  channel: string;
  /** The events' source (a channel's name, `api`, `sender`, `import`...). */
  source: string;
  /** contact.updated's `by`: `whatsapp`, `user:<id>`, `import:<id>`... */
  by: string;
  sightings: readonly PersonSighting[];
  /** Only find people: sightings of unknown people resolve to null (statuses, preferences). */
  findOnly?: boolean;
}

export interface ResolvePeopleResult {
  /** Contact id (decimal string) per sighting, in input order; null when none exists (findOnly). */
  contactIds: (string | null)[];
  /** Whether each sighting created its person. */
  created: boolean[];
  /**
   * contact.created, contact.identity_added / identity_changed, contact.merged and
   * contact.updated (profile name, merged profile), in the order they happened. The caller
   * appends them in the same transaction, before the events that reference the people.
   */
  events: NewEvent[];
}

/**
 * The one way a person is found or comes to exist (docs/identities.md): by BSUID first, then
 * phone number. Identifiers the person did not have are added, changed ones replaced, each
 * logged. When a sighting's BSUID belongs to one person and its phone number to another,
 * the two are one human: the older person (lower id) survives and the other is merged into
 * it (merge-people.ts). Runs in the caller's transaction; transaction-scoped advisory locks
 * on every identifier involved, taken in one sorted statement, make concurrent webhooks
 * about the same person queue instead of creating it twice or deadlocking.
 */
export async function resolvePeople(tx: DbOrTx, options: ResolvePeopleOptions): Promise<ResolvePeopleResult> {
  const { channel } = options;
  const result: ResolvePeopleResult = { contactIds: [], created: [], events: [] };
  if (options.sightings.length === 0) return result;
  const phones = new Set<string>();
  const bsuids = new Set<string>();
  for (const s of options.sightings) {
    for (const p of [s.phone, s.previousPhone]) if (p) phones.add(p);
    for (const b of [s.bsuid, s.previousBsuid]) if (b) bsuids.add(b);
  }
  const keys = [
    ...[...phones].map((p) => `${channel}:p:${p}`),
    ...[...bsuids].map((b) => `${channel}:b:${b}`),
  ];
  await sql`select pg_advisory_xact_lock(k) from (
      select distinct hashtextextended(key, 0) as k from unnest(${keys}::text[]) as key order by 1) locks`.execute(
    tx,
  );
  const people = await loadPeople(tx, channel, [...phones], [...bsuids]);

  // In input order: Meta's batches list messages as they happened.
  const order = options.sightings.map((_, i) => i);
  const ids: (string | null)[] = options.sightings.map(() => null);
  const created: boolean[] = options.sightings.map(() => false);
  for (const i of order) {
    const s = options.sightings[i]!;
    const find = (field: 'wa_id' | 'bsuid', value: string | null | undefined) =>
      value ? people.find((p) => p[field] === value) : undefined;
    const byBsuid = find('bsuid', s.bsuid) ?? find('bsuid', s.previousBsuid);
    const byPhone = find('wa_id', s.phone) ?? find('wa_id', s.previousPhone);
    let person = byBsuid ?? byPhone;
    if (byBsuid && byPhone && byBsuid.id !== byPhone.id) {
      const [survivor, merged] =
        Number(byBsuid.id) < Number(byPhone.id) ? [byBsuid, byPhone] : [byPhone, byBsuid];
      result.events.push(...(await mergePeople(tx, { ...options, survivor, merged, at: s.seenAt })));
      people.splice(people.indexOf(merged), 1);
      person = survivor;
    }
    if (!person) {
      if (options.findOnly || s.findOnly || (!s.phone && !s.bsuid)) continue;
      person = await createPerson(tx, options, s);
      people.push(person);
      created[i] = true;
      result.events.push(createdEvent(options, person, s));
    } else {
      result.events.push(...(await updatePerson(tx, options, person, s)));
    }
    ids[i] = person.id;
  }
  result.contactIds = ids;
  result.created = created;
  return result;
}

async function createPerson(
  tx: DbOrTx,
  options: ResolvePeopleOptions,
  s: PersonSighting,
): Promise<IdentityRow> {
  return tx
    .insertInto('contacts')
    .values({
      channel: options.channel,
      wa_id: s.phone ?? null,
      bsuid: s.bsuid ?? null,
      parent_bsuid: s.parentBsuid ?? null,
      username: s.username ?? null,
      name: s.name ?? null,
      last_inbound_at: s.inboundAt ?? null,
    })
    .returning(identityColumns)
    .executeTakeFirstOrThrow();
}

function createdEvent(options: ResolvePeopleOptions, person: IdentityRow, s: PersonSighting): NewEvent {
  return {
    type: 'contact.created',
    source: options.source,
    channel: options.channel,
    contact_id: person.id,
    occurred_at: s.firstSeenAt ?? s.seenAt,
    // The first identifier a person was created by: a retried creation appends nothing.
    idempotency_key: `contact:${person.wa_id ?? person.bsuid}`,
    payload: {
      ...(person.wa_id && { wa_id: person.wa_id }),
      ...(person.bsuid && { bsuid: person.bsuid }),
      ...(person.parent_bsuid && { parent_bsuid: person.parent_bsuid }),
      ...(person.username && { username: person.username }),
      name: person.name,
      channel: options.channel,
    },
  };
}

const identityFields = [
  ['phone', 'wa_id', 'phone'],
  ['bsuid', 'bsuid', 'bsuid'],
  ['parent_bsuid', 'parent_bsuid', 'parentBsuid'],
  ['username', 'username', 'username'],
] as const;

/** Adds or replaces identifiers, the profile name and the service window; returns the events. */
async function updatePerson(
  tx: DbOrTx,
  options: ResolvePeopleOptions,
  person: IdentityRow,
  s: PersonSighting,
): Promise<NewEvent[]> {
  const events: NewEvent[] = [];
  const common = {
    source: options.source,
    channel: options.channel,
    contact_id: person.id,
    occurred_at: s.seenAt,
  };
  const set: Partial<Record<'wa_id' | 'bsuid' | 'parent_bsuid' | 'username' | 'name', string>> = {};
  for (const [kind, column, field] of identityFields) {
    const value = s[field];
    const old = person[column];
    if (!value || value === old) continue;
    set[column] = value;
    events.push(
      old === null
        ? { ...common, type: 'contact.identity_added', payload: { kind, value, by: options.by } }
        : {
            ...common,
            type: 'contact.identity_changed',
            payload: { kind, from: old, to: value, by: options.by, ...(s.reason && { reason: s.reason }) },
          },
    );
  }
  // A late retry of an older message must not revert a newer profile name.
  const renamed =
    s.name != null &&
    s.name !== person.name &&
    (person.last_inbound_at === null || s.seenAt >= person.last_inbound_at);
  if (renamed) {
    events.push({
      ...common,
      type: 'contact.updated',
      idempotency_key: `contact-name:${person.wa_id ?? person.bsuid}:${s.seenAt.getTime()}`,
      payload: { changes: { name: { from: person.name, to: s.name } }, by: options.by },
    });
    set.name = s.name!;
  }
  const later =
    s.inboundAt != null && (person.last_inbound_at === null || s.inboundAt > person.last_inbound_at);
  if (Object.keys(set).length === 0 && !later) return events;
  const row = await tx
    .updateTable('contacts')
    .set({
      ...set,
      ...(later && { last_inbound_at: s.inboundAt! }),
      updated_at: new Date(),
    })
    .where('id', '=', person.id)
    .returning(identityColumns)
    .executeTakeFirstOrThrow();
  Object.assign(person, row);
  return events;
}
