import type { DbOrTx } from '../../core/db/database.js';
import type { NewEvent } from '../../core/log/event.schema.js';
import { resolvePeople } from '../../core/people/resolve-people.js';

/** A person seen in an inbound message, by every identifier the channel sent. */
export interface Sighting {
  /** Phone number; null when Meta shares none (a person with a username). */
  waId: string | null;
  bsuid?: string | null;
  parentBsuid?: string | null;
  username?: string | null;
  /** Profile name as the channel reports it; null when it did not say. */
  name: string | null;
  /** When the message was sent (the channel's timestamp). */
  seenAt: Date;
  /** Start of a customer service window, or null when the message does not open one. */
  inboundAt: Date | null;
  /** Identifiers the person had before, when the message reports a change (system messages). */
  previousBsuid?: string | null;
  previousPhone?: string | null;
  reason?: string;
  /** Only find the person (statuses, identity changes): never create them. */
  findOnly?: boolean;
}

export interface FirstSightResult {
  /** Contact id (decimal string) per sighting, in input order. */
  contactIds: (string | null)[];
  /**
   * contact.created for new people, contact.updated for changed profile names, identity and
   * merge events. The caller appends them in the same transaction, before the events that
   * reference the contacts, so that a whole webhook costs one append.
   */
  events: NewEvent[];
}

/**
 * Finds or creates the people of a batch of sightings through core/people's resolvePeople
 * (the only way a person comes to exist). Sightings of one person with the same identifiers
 * are folded first, as one sighting: the person is created once, at the earliest message,
 * named after the latest message that had a name; last_inbound_at only moves forward. A
 * retried webhook changes nothing and returns no events.
 */
export async function firstSight(
  tx: DbOrTx,
  options: { channel: string; source: string; by: string; sightings: readonly Sighting[] },
): Promise<FirstSightResult> {
  const folded = fold(options.sightings);
  const resolved = await resolvePeople(tx, {
    channel: options.channel,
    source: options.source,
    by: options.by,
    sightings: folded.sightings.map((s) => ({
      phone: s.waId,
      bsuid: s.bsuid,
      parentBsuid: s.parentBsuid,
      username: s.username,
      name: s.name,
      seenAt: s.seenAt,
      firstSeenAt: s.firstSeenAt,
      inboundAt: s.inboundAt,
      previousBsuid: s.previousBsuid,
      previousPhone: s.previousPhone,
      reason: s.reason,
      findOnly: s.findOnly,
    })),
  });
  return {
    contactIds: folded.index.map((i) => resolved.contactIds[i] ?? null),
    events: resolved.events,
  };
}

type Folded = Sighting & { firstSeenAt: Date; namedAt: number };

/** One sighting per set of identifiers: the latest time, the name of the latest message that had one. */
function fold(sightings: readonly Sighting[]): { sightings: Folded[]; index: number[] } {
  const byKey = new Map<string, number>();
  const out: Folded[] = [];
  const index = sightings.map((s) => {
    // A sighting reporting a change is kept apart: it must apply at its own time.
    const key =
      s.previousBsuid || s.previousPhone || s.findOnly
        ? null
        : JSON.stringify([s.waId, s.bsuid, s.parentBsuid, s.username]);
    const at = key === null ? undefined : byKey.get(key);
    if (at === undefined) {
      out.push({ ...s, firstSeenAt: s.seenAt, namedAt: s.name === null ? -1 : s.seenAt.getTime() });
      if (key !== null) byKey.set(key, out.length - 1);
      return out.length - 1;
    }
    const current = out[at]!;
    if (s.seenAt > current.seenAt) current.seenAt = s.seenAt;
    if (s.seenAt < current.firstSeenAt) current.firstSeenAt = s.seenAt;
    if (s.inboundAt && (!current.inboundAt || s.inboundAt > current.inboundAt))
      current.inboundAt = s.inboundAt;
    if (s.name !== null && s.seenAt.getTime() >= current.namedAt) {
      current.name = s.name;
      current.namedAt = s.seenAt.getTime();
    }
    return at;
  });
  return { sightings: out, index };
}
