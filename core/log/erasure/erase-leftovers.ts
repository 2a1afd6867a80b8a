import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { PersonIdentifiers } from './person-identifiers.js';
import { type HashWamid, scrubIdempotencyKey, scrubPayload } from './scrub-payload.js';

/**
 * The copies of a person that name no contact, found by their identifiers (person-identifiers.ts)
 * and erased in the erasing transaction:
 * - events with no contact_id whose payload holds one of them (a status that matched no
 *   message keeps `recipient_id`; an unrecognised webhook keeps its raw body; a channel
 *   update may quote a number): scrubbed as the person's own events are (scrub-payload.ts),
 *   so unrecognised bodies keep `{"erased": true}`. Their ids are returned for contact.erased,
 *   so every mirror blanks exactly these rows too.
 * - CSV imports: the stored rows of the file that hold the number lose their cells, the
 *   per-import phone list forgets it, and error reasons quoting it are replaced.
 */
export async function eraseLeftovers(
  tx: Tx,
  contactId: string,
  ids: PersonIdentifiers,
  hashWamid: HashWamid,
): Promise<string[]> {
  const events = await eraseUnattributedEvents(tx, contactId, ids, hashWamid);
  await eraseFromImports(tx, contactId, ids);
  return events;
}

async function eraseUnattributedEvents(
  tx: Tx,
  contactId: string,
  ids: PersonIdentifiers,
  hashWamid: HashWamid,
): Promise<string[]> {
  if (ids.patterns.length === 0) return [];
  const found = await sql<{
    id: string;
    type: string;
    schema_version: number;
    idempotency_key: string | null;
    payload: unknown;
  }>`
    select id::text, type, schema_version, idempotency_key, payload from events
    where contact_id is null and payload::text like any(${ids.patterns}::text[])
    order by id`.execute(tx);
  if (found.rows.length === 0) return [];
  const eventIds = found.rows.map((e) => e.id);
  const payloads = found.rows.map((e) =>
    JSON.stringify(scrubPayload(e.type, e.schema_version, e.payload, hashWamid)),
  );
  const keys = found.rows.map((e) => scrubIdempotencyKey(e.id, e.idempotency_key, hashWamid));
  // The append-only trigger lets exactly these rows change (sql/migrations/0013).
  await sql`select set_config('parley.erasing', ${contactId}, true),
    set_config('parley.erasing_events', ${eventIds.join(',')}, true)`.execute(tx);
  await sql`
    update events set payload = s.payload::jsonb, idempotency_key = s.key
    from unnest(${eventIds}::bigint[], ${payloads}::text[], ${keys}::text[]) as s(id, payload, key)
    where events.id = s.id and events.contact_id is null`.execute(tx);
  await sql`select set_config('parley.erasing', '', true), set_config('parley.erasing_events', '', true)`.execute(
    tx,
  );
  return eventIds;
}

const erasedReason = 'erased with the person it named';

async function eraseFromImports(tx: Tx, contactId: string, ids: PersonIdentifiers) {
  if (ids.bsuids.length > 0) {
    // A file may name people by BSUID: a row holding one of theirs as a cell is theirs.
    await sql`
      with hit as (
        select r.import_id, r.line from contact_import_rows r
        where exists (select 1 from jsonb_array_elements_text(r.cells) cell
                      where btrim(cell) = any(${ids.bsuids}::text[]))
      ), errors as (
        update contact_import_errors e set reason = ${erasedReason}
        from hit where e.import_id = hit.import_id and e.line = hit.line
      )
      update contact_import_rows r set cells = '[]'::jsonb
      from hit where r.import_id = hit.import_id and r.line = hit.line`.execute(tx);
  }
  if (!ids.waId) return;
  const digits = ids.waId.replace(/\D/g, '');
  // A row holds the number when ingest's normalisation placed it there (contact_import_phones)
  // or when a cell's digits are the number, or its national form (leading zeros dropped, at
  // least 7 digits) ends it: rows that failed validation never reached the phone list.
  await sql`
    with hit as (
      select r.import_id, r.line from contact_import_rows r
      where exists (select 1 from contact_import_phones p
                    where p.import_id = r.import_id and p.line = r.line and p.wa_id = ${ids.waId})
         or exists (select 1 from jsonb_array_elements_text(r.cells) cell
                    cross join lateral (select ltrim(regexp_replace(cell, '\\D', '', 'g'), '0') as d) n
                    where length(n.d) >= 7 and right(${digits}, length(n.d)) = n.d)
    ), errors as (
      update contact_import_errors e set reason = ${erasedReason}
      from hit where e.import_id = hit.import_id and e.line = hit.line
    )
    update contact_import_rows r set cells = '[]'::jsonb
    from hit where r.import_id = hit.import_id and r.line = hit.line`.execute(tx);
  await sql`
    update contact_import_phones set wa_id = ${`erased:${contactId}`}
    where wa_id = ${ids.waId}`.execute(tx);
  await sql`
    update contact_import_errors set reason = ${erasedReason}
    where regexp_replace(reason, '\\D', '', 'g') like ${`%${digits}%`}
       or reason like any(${ids.patterns}::text[])`.execute(tx);
}
