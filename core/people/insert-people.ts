import { sql } from 'kysely';
import type { Tx } from '../db/database.js';

export interface NewPersonProfile {
  phone: string;
  name: string | null;
  language: string | null;
  timezone: string | null;
  opt_in: 'unknown' | 'opted_in' | 'opted_out';
  labels: string[];
  fields: Record<string, unknown>;
}

/**
 * Inserts many new people known by phone number in one statement (a CSV import's chunk),
 * for callers that have locked those numbers and found no one. Besides resolvePeople, the
 * only insert into contacts (test/architecture checks it); the caller appends each person's
 * contact.created in the same transaction. Returns the new id per phone number, and throws
 * when someone else created one of them meanwhile (the caller's transaction then retries
 * and finds them as existing people).
 */
export async function insertPeople(
  tx: Tx,
  channel: string,
  people: readonly NewPersonProfile[],
): Promise<Map<string, string>> {
  if (people.length === 0) return new Map();
  // One statement over arrays (like core/log/append.ts): a multi-row VALUES of 1,000 people
  // and 12 columns costs more to build and plan than the insert itself.
  const inserted = (
    await sql<{ id: string; wa_id: string }>`
      insert into contacts (channel, wa_id, name, language, timezone, opt_in, labels, fields)
      select ${channel}, wa_id, name, language, timezone, opt_in, array(select jsonb_array_elements_text(labels)), fields
      from unnest(${people.map((p) => p.phone)}::text[], ${people.map((p) => p.name)}::text[],
                  ${people.map((p) => p.language)}::text[], ${people.map((p) => p.timezone)}::text[],
                  ${people.map((p) => p.opt_in)}::text[], ${people.map((p) => JSON.stringify(p.labels))}::jsonb[],
                  ${people.map((p) => JSON.stringify(p.fields))}::jsonb[])
        as r(wa_id, name, language, timezone, opt_in, labels, fields)
      on conflict (channel, wa_id) do nothing
      returning id, wa_id`.execute(tx)
  ).rows;
  if (inserted.length < people.length)
    throw new Error('a person of this chunk was created concurrently; retrying');
  return new Map(inserted.map((r) => [r.wa_id, r.id]));
}
