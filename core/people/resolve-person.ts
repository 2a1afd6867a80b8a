import type { DbOrTx } from '../db/database.js';
import { append } from '../log/append.js';
import { type PersonSighting, resolvePeople } from './resolve-people.js';

/**
 * Finds or creates one person (resolvePeople for a single sighting) and appends the events
 * it produced, in the caller's transaction. For the API, the outbox and imports.
 */
export async function resolvePerson(
  tx: DbOrTx,
  options: { channel: string; source: string; by: string; sighting: PersonSighting },
): Promise<{ contactId: string | null; created: boolean }> {
  const result = await resolvePeople(tx, { ...options, sightings: [options.sighting] });
  if (result.events.length > 0) await append(tx, result.events);
  return { contactId: result.contactIds[0] ?? null, created: result.created[0] ?? false };
}
