import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { bsuidPattern, normalisePhone } from '../people/index.js';

export interface ListedPeople {
  /** The people found, once each, in the order the list first names them. */
  contact_ids: string[];
  /** Entries that name nobody here, with the reason, so the list can be corrected. */
  unknown: { entry: string; reason: string }[];
}

const maxEntries = 100_000;

/**
 * An uploaded list's people, by whatever identity the list gives: a phone number (national
 * numbers read in `defaultCountry`) or a BSUID, for people who share only their username.
 * Nobody is created: a reminder goes to people who are already known.
 */
export async function findListedPeople(
  db: DbOrTx,
  text: string,
  defaultCountry: string,
): Promise<ListedPeople> {
  const entries = [
    ...new Set(
      text
        .split(/[\n,;]+/)
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    ),
  ];
  const unknown: ListedPeople['unknown'] = [];
  if (entries.length > maxEntries) {
    return {
      contact_ids: [],
      unknown: [
        { entry: `${entries.length} entries`, reason: `at most ${maxEntries.toLocaleString('en')} per list` },
      ],
    };
  }
  const byPhone = new Map<string, string>();
  const bsuidEntries = new Set<string>();
  for (const entry of entries) {
    if (bsuidPattern.test(entry)) {
      bsuidEntries.add(entry);
      continue;
    }
    const phone = normalisePhone(entry, defaultCountry);
    if (phone.ok) byPhone.set(entry, phone.waId);
    else unknown.push({ entry, reason: `neither a phone number nor a BSUID: ${phone.reason}` });
  }
  const phones = [...new Set(byPhone.values())];
  const bsuids = [...bsuidEntries];
  // Arrays as one parameter each: a list of 100,000 entries would overflow Postgres' 65,535 parameters.
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'wa_id', 'bsuid'])
    .where('erased_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('wa_id', '=', sql<string>`any(${phones}::text[])`),
        eb('bsuid', '=', sql<string>`any(${bsuids}::text[])`),
      ]),
    )
    .orderBy('id')
    .execute();
  const idOfPhone = new Map(found.filter((c) => c.wa_id).map((c) => [c.wa_id!, c.id]));
  const idOfBsuid = new Map(found.filter((c) => c.bsuid).map((c) => [c.bsuid!, c.id]));
  const ids: string[] = [];
  for (const entry of entries) {
    const phone = byPhone.get(entry);
    const isBsuid = bsuidEntries.has(entry);
    if (phone === undefined && !isBsuid) continue;
    const id = phone !== undefined ? idOfPhone.get(phone) : idOfBsuid.get(entry);
    if (id) ids.push(id);
    else
      unknown.push({
        entry,
        reason: phone !== undefined ? 'no person has this phone number' : 'no person has this BSUID',
      });
  }
  return { contact_ids: [...new Set(ids)], unknown };
}
