import { sql } from 'kysely';
import type { Tx } from '../../../core/db/database.js';
import { append } from '../../../core/log/append.js';
import type { NewEvent } from '../../../core/log/event.schema.js';
import { insertPeople } from '../../../core/people/insert-people.js';
import { customFieldDefinitions } from '../custom-field-definitions.js';
import { type PersonRecord, personColumns } from '../person-record.js';
import { diffProfiles } from '../profile-changes.js';
import { applyIdentifiedRows, type IdentifiedRow } from './apply-identified-rows.js';
import type { ImportMapping } from './import-mapping.js';
import { type RowUpdate, readImportRow } from './read-import-row.js';
import { applyUpdate, emptyProfile, updatedEvent } from './row-profile.js';

type ValidRow = { line: number; waId: string; e164: string; update: RowUpdate };

/**
 * Applies the next `chunkSize` rows of a queued or running import in the caller's transaction
 * (the import job's, import-job.ts): people created or updated with their events, invalid rows
 * recorded with their line and reason, and the import's progress, all committed together. The
 * import row is locked first, so two workers never apply the same rows, and a crash before
 * commit leaves nothing half done; the events also carry idempotency keys `import:<id>:<line>`
 * (and `…:created`). Returns the rows applied so far when rows remain, else null.
 *
 * Rows known by phone number alone take the batched path below (one lock, one insert per
 * chunk). Rows with a BSUID or a username go through the resolver one by one
 * (apply-identified-rows.ts), first, so that the chunk takes the resolver's advisory locks
 * before any row lock, in the order webhooks take them.
 */
export async function applyImportChunk(tx: Tx, id: string, chunkSize: number): Promise<number | null> {
  const job = await tx
    .selectFrom('contact_imports')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!job || !['queued', 'running'].includes(job.status)) return null;
  if (!job.mapping || !job.mode || !job.default_country) return null;
  const rows = await tx
    .selectFrom('contact_import_rows')
    .select(['line', 'cells'])
    .where('import_id', '=', id)
    .where('ord', '>', job.processed_rows)
    .orderBy('ord')
    .limit(chunkSize)
    .execute();
  const context = {
    headers: job.headers,
    mapping: job.mapping as ImportMapping,
    definitions: await customFieldDefinitions(tx),
    defaultCountry: job.default_country,
  };
  const errors = new Map<number, string>();
  const valid: ValidRow[] = [];
  const identified: IdentifiedRow[] = [];
  for (const row of rows) {
    const read = readImportRow(row.cells, context);
    if (!read.ok) errors.set(row.line, read.reason);
    else if (read.bsuid !== undefined || read.username !== undefined || read.waId === undefined)
      identified.push({ line: row.line, identity: read, update: read.update });
    else valid.push({ line: row.line, waId: read.waId, e164: read.e164!, update: read.update });
  }
  const identities = [
    ...valid.flatMap(identitiesOf),
    ...identified.flatMap(({ line, identity }) => identitiesOf({ line, ...identity })),
  ].sort((a, b) => a.line - b.line);
  await markDuplicates(tx, id, identities, errors);
  const applicable = valid.filter((r) => !errors.has(r.line));

  const events: NewEvent[] = [];
  const counts = await applyIdentifiedRows(
    tx,
    { channel: job.channel, mode: job.mode, importId: id, events },
    identified.filter((r) => !errors.has(r.line)),
  );
  const existing = await lockPeople(
    tx,
    job.channel,
    applicable.map((r) => r.waId),
  );
  const by = `import:${id}`;
  let updated = counts.updated;
  let skipped = counts.skipped;
  const toCreate: ValidRow[] = [];
  for (const row of applicable) {
    const person = existing.get(row.waId);
    if (!person) {
      if (job.mode === 'update') skipped++;
      else toCreate.push(row);
      continue;
    }
    const after = applyUpdate(person, row.update);
    const changes = diffProfiles(person, after);
    if (job.mode === 'create' || Object.keys(changes).length === 0) {
      skipped++;
      continue;
    }
    await tx
      .updateTable('contacts')
      .set({ ...after, fields: JSON.stringify(after.fields), updated_at: new Date() })
      .where('id', '=', person.id)
      .execute();
    events.push(updatedEvent(person, changes, by, `import:${id}:${row.line}`));
    updated++;
  }
  await createPeople(tx, job.channel, toCreate, { by, importId: id, events });
  if (errors.size > 0) {
    await tx
      .insertInto('contact_import_errors')
      .values([...errors].map(([line, reason]) => ({ import_id: id, line, reason })))
      .execute();
  }
  await append(tx, events);
  const processed = job.processed_rows + rows.length;
  const done = processed >= job.total_rows;
  await tx
    .updateTable('contact_imports')
    .set({
      processed_rows: processed,
      created_count: job.created_count + counts.created + toCreate.length,
      updated_count: job.updated_count + updated,
      skipped_count: job.skipped_count + skipped,
      invalid_count: job.invalid_count + errors.size,
      status: done ? 'done' : 'running',
      started_at: job.started_at ?? new Date(),
      ...(done ? { finished_at: new Date() } : {}),
    })
    .where('id', '=', id)
    .execute();
  return done ? null : processed;
}

/** One identity a row names: its phone, or its BSUID (stored with a prefix, never a phone's digits). */
type RowIdentity = { line: number; key: string; label: string };

function identitiesOf(row: { line: number; waId?: string; e164?: string; bsuid?: string }): RowIdentity[] {
  return [
    ...(row.waId ? [{ line: row.line, key: row.waId, label: `phone ${row.e164 ?? row.waId}` }] : []),
    ...(row.bsuid ? [{ line: row.line, key: `bsuid:${row.bsuid}`, label: `BSUID "${row.bsuid}"` }] : []),
  ];
}

/**
 * A later line with a phone or a BSUID seen on an earlier line (in this chunk or before) is
 * invalid: one file describes each person once. The first lines of each identity are kept in
 * contact_import_phones (BSUIDs with a `bsuid:` prefix), so chunks see each other's.
 */
async function markDuplicates(tx: Tx, id: string, identities: RowIdentity[], errors: Map<number, string>) {
  if (identities.length === 0) return;
  const inserted = await sql<{ wa_id: string; line: number }>`
    insert into contact_import_phones (import_id, wa_id, line)
    select ${id}, key, min(line) from unnest(${identities.map((r) => r.key)}::text[], ${identities.map((r) => r.line)}::int[]) as r(key, line)
    group by key
    on conflict do nothing
    returning wa_id, line`.execute(tx);
  const firsts = new Set(inserted.rows.map((r) => `${r.wa_id}:${r.line}`));
  const later = identities.filter((r) => !firsts.has(`${r.key}:${r.line}`));
  if (later.length === 0) return;
  const earlier = await tx
    .selectFrom('contact_import_phones')
    .select(['wa_id', 'line'])
    .where('import_id', '=', id)
    .where(
      'wa_id',
      'in',
      later.map((r) => r.key),
    )
    .execute();
  const lineOf = new Map(earlier.map((r) => [r.wa_id, r.line]));
  for (const identity of later) {
    if (errors.has(identity.line)) continue;
    errors.set(identity.line, `duplicate ${identity.label}: already on line ${lineOf.get(identity.key)}`);
  }
}

async function lockPeople(tx: Tx, channel: string, waIds: string[]): Promise<Map<string, PersonRecord>> {
  if (waIds.length === 0) return new Map();
  const people = await tx
    .selectFrom('contacts')
    .select(personColumns)
    .where('channel', '=', channel)
    .where('wa_id', 'in', waIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(people.map((p) => [p.wa_id!, p]));
}

/** New people in one insert; each gets contact.created and, for the rest of its row, contact.updated. */
async function createPeople(
  tx: Tx,
  channel: string,
  rows: ValidRow[],
  options: { by: string; importId: string; events: NewEvent[] },
) {
  if (rows.length === 0) return;
  const profiles = rows.map((r) => applyUpdate(emptyProfile, r.update));
  // Someone wrote first (an inbound message) since the rows were locked: insertPeople throws,
  // the transaction rolls back, and the worker's retry finds them as existing people.
  const idOf = await insertPeople(
    tx,
    channel,
    rows.map((r, i) => ({ phone: r.waId, ...profiles[i]! })),
  );
  rows.forEach((row, i) => {
    const contactId = idOf.get(row.waId)!;
    const profile = profiles[i]!;
    options.events.push({
      type: 'contact.created',
      source: 'import',
      channel,
      contact_id: contactId,
      idempotency_key: `import:${options.importId}:${row.line}:created`,
      payload: { wa_id: row.waId, name: null, channel },
    });
    const changes = diffProfiles(emptyProfile, profile);
    if (Object.keys(changes).length > 0) {
      options.events.push(
        updatedEvent(
          { id: contactId, channel },
          changes,
          options.by,
          `import:${options.importId}:${row.line}`,
        ),
      );
    }
  });
}
