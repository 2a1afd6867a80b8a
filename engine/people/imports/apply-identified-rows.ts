import type { Tx } from '../../../core/db/database.js';
import type { NewEvent } from '../../../core/log/event.schema.js';
import { resolvePeople } from '../../../core/people/resolve-people.js';
import { type PersonRecord, personColumns } from '../person-record.js';
import { diffProfiles } from '../profile-changes.js';
import type { RowIdentity, RowUpdate } from './read-import-row.js';
import { applyUpdate, updatedEvent } from './row-profile.js';

export interface IdentifiedRow {
  line: number;
  identity: RowIdentity;
  update: RowUpdate;
}

export interface RowCounts {
  created: number;
  updated: number;
  skipped: number;
}

/**
 * Rows that name a person by BSUID (or carry a username) go through core/people's resolver,
 * exactly like a webhook's sighting: found by BSUID first, then phone number; identifiers the
 * person lacked are added, changed ones replaced, and a BSUID of one person with the number of
 * another merges the two (docs/identities.md). Identifiers are linked in every mode, because
 * they say who the human is; the mode decides only the profile: `update` never creates a
 * person, `create` leaves an existing person's profile as it is.
 *
 * One resolution per row, in line order, so that each row's counts are its own and a later
 * row sees what an earlier one created. The caller appends `events` in its transaction.
 */
export async function applyIdentifiedRows(
  tx: Tx,
  options: { channel: string; mode: 'create' | 'update' | 'both'; importId: string; events: NewEvent[] },
  rows: readonly IdentifiedRow[],
): Promise<RowCounts> {
  const counts: RowCounts = { created: 0, updated: 0, skipped: 0 };
  const by = `import:${options.importId}`;
  const seenAt = new Date();
  for (const row of rows) {
    const resolved = await resolvePeople(tx, {
      channel: options.channel,
      source: 'import',
      by,
      findOnly: options.mode === 'update',
      sightings: [
        {
          phone: row.identity.waId ?? null,
          bsuid: row.identity.bsuid ?? null,
          username: row.identity.username ?? null,
          seenAt,
        },
      ],
    });
    options.events.push(...resolved.events);
    const contactId = resolved.contactIds[0];
    if (!contactId) {
      counts.skipped++;
      continue;
    }
    const created = resolved.created[0] === true;
    const person = await tx
      .selectFrom('contacts')
      .select(personColumns)
      .where('id', '=', contactId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const changed =
      created || options.mode !== 'create' ? await applyProfile(tx, person, row, options) : false;
    if (created) counts.created++;
    else if (changed || resolved.events.length > 0) counts.updated++;
    else counts.skipped++;
  }
  return counts;
}

async function applyProfile(
  tx: Tx,
  person: PersonRecord,
  row: IdentifiedRow,
  options: { importId: string; events: NewEvent[] },
): Promise<boolean> {
  const after = applyUpdate(person, row.update);
  const changes = diffProfiles(person, after);
  if (Object.keys(changes).length === 0) return false;
  await tx
    .updateTable('contacts')
    .set({ ...after, fields: JSON.stringify(after.fields), updated_at: new Date() })
    .where('id', '=', person.id)
    .execute();
  options.events.push(
    updatedEvent(person, changes, `import:${options.importId}`, `import:${options.importId}:${row.line}`),
  );
  return true;
}
