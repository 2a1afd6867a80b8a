import type { DbOrTx } from '../../../core/db/database.js';
import { AppError } from '../../../core/errors.js';
import { type PersonRecord, getPerson, personColumns } from '../../../engine/people/index.js';
import { updatePerson } from '../../../engine/people/index.js';
import type { Actor } from '../../auth/actor.js';
import { maskBsuid, maskName, maskPhone, maskUsername } from '../../auth/mask.js';
import { actorLabel } from '../../services/contacts.js';

/** The whole person as REST `Contact` shows it; wa_id and name masked unless `reveal`. */
export interface ContactPersonView {
  id: string;
  channel: string;
  wa_id: string | null;
  bsuid: string | null;
  parent_bsuid: string | null;
  username: string | null;
  name: string | null;
  masked: boolean;
  created_at: Date;
  updated_at: Date;
  last_inbound_at: Date | null;
  language: string | null;
  timezone: string | null;
  opt_in: PersonRecord['opt_in'];
  blocked: boolean;
  labels: string[];
  custom_fields: Record<string, unknown>;
  marketing_opt_in: PersonRecord['marketing_opt_in'];
  marketing_opt_in_at: Date | null;
  erased_at: Date | null;
}

/**
 * Integrators need the whole person, not only the name: identities, profile, labels and custom
 * fields. The phone number, BSUIDs, username and name are the personal data here (the dashboard
 * shows the other fields to members without pii.read), so only they are masked.
 */
export function presentContactPerson(row: PersonRecord, reveal: boolean): ContactPersonView {
  return {
    id: row.id,
    channel: row.channel,
    wa_id: row.wa_id === null || reveal ? row.wa_id : maskPhone(row.wa_id),
    bsuid: row.bsuid === null || reveal ? row.bsuid : maskBsuid(row.bsuid),
    parent_bsuid: row.parent_bsuid === null || reveal ? row.parent_bsuid : maskBsuid(row.parent_bsuid),
    username: row.username === null || reveal ? row.username : maskUsername(row.username),
    name: row.name === null || reveal ? row.name : maskName(row.name),
    masked: !reveal,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_inbound_at: row.last_inbound_at,
    language: row.language,
    timezone: row.timezone,
    opt_in: row.opt_in,
    blocked: row.blocked,
    labels: row.labels,
    custom_fields: row.fields,
    marketing_opt_in: row.marketing_opt_in,
    marketing_opt_in_at: row.marketing_opt_in_at,
    erased_at: row.erased_at,
  };
}

export const getContactPerson = (db: DbOrTx, id: string) => getPerson(db, id);

export function listContactPeople(
  db: DbOrTx,
  options: { channel?: string; waId?: string; bsuid?: string; afterId?: string; limit?: number },
): Promise<PersonRecord[]> {
  let query = db
    .selectFrom('contacts')
    .select(personColumns)
    .orderBy('id')
    .limit(options.limit ?? 50);
  if (options.channel) query = query.where('channel', '=', options.channel);
  if (options.waId) query = query.where('wa_id', '=', options.waId);
  if (options.bsuid) query = query.where('bsuid', '=', options.bsuid);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.execute();
}

export interface ContactPatch {
  name?: string | null;
  language?: string | null;
  timezone?: string | null;
  opt_in?: PersonRecord['opt_in'];
  blocked?: boolean;
  labels?: string[];
  custom_fields?: Record<string, unknown>;
}

/** PATCH /v1/contacts/{id}: one contact.updated with every change; custom fields checked by type. */
export async function updateContactPerson(db: DbOrTx, actor: Actor, id: string, patch: ContactPatch) {
  try {
    return await updatePersonFrom(db, actor, id, patch);
  } catch (error) {
    // The engine names custom fields `fields.<key>`; the REST body calls them custom_fields.
    if (!(error instanceof AppError)) throw error;
    const rename = (text: string) => text.replace(/(^|; )fields\./g, '$1custom_fields.');
    throw new AppError(
      error.code,
      rename(error.message),
      error.fields.map((f) => ({ ...f, field: rename(f.field) })),
    );
  }
}

function updatePersonFrom(db: DbOrTx, actor: Actor, id: string, patch: ContactPatch) {
  return updatePerson(db, {
    id,
    by: actorLabel(actor),
    source: 'api',
    patch: {
      name: patch.name,
      language: patch.language,
      timezone: patch.timezone,
      optIn: patch.opt_in,
      blocked: patch.blocked,
      labels: patch.labels,
      fields: patch.custom_fields,
    },
  });
}
