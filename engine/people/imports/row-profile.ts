import type { NewEvent } from '../../../core/log/event.schema.js';
import { type Changes, normaliseLabels, type Profile } from '../profile-changes.js';
import type { RowUpdate } from './read-import-row.js';

/** A profile with one import row's values applied: empty cells leave a value, labels are added. */
export function applyUpdate(person: Profile, update: RowUpdate): Profile {
  return {
    name: update.name ?? person.name,
    language: update.language ?? person.language,
    timezone: update.timezone ?? person.timezone,
    opt_in: update.opt_in ?? person.opt_in,
    blocked: person.blocked,
    labels: update.labels ? normaliseLabels([...person.labels, ...update.labels]) : person.labels,
    fields: { ...person.fields, ...update.fields },
  };
}

export const emptyProfile: Profile = {
  name: null,
  language: null,
  timezone: null,
  opt_in: 'unknown',
  blocked: false,
  labels: [],
  fields: {},
};

/** contact.updated for one row, keyed `import:<id>:<line>` so a retried chunk appends it once. */
export function updatedEvent(
  person: { id: string; channel: string },
  changes: Changes,
  by: string,
  key: string,
): NewEvent {
  return {
    type: 'contact.updated',
    source: 'import',
    channel: person.channel,
    contact_id: person.id,
    idempotency_key: key,
    payload: { changes, by },
  };
}
