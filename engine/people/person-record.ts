import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';

export type OptIn = 'unknown' | 'opted_in' | 'opted_out';

/** A contacts row with its profile, as engine/people hands it to the API (which masks it). */
export interface PersonRecord {
  id: string;
  channel: string;
  /** Phone number; null for a person Meta shares no number of (they took a username). */
  wa_id: string | null;
  /** Business-scoped user id, parent BSUID and username (display only): personal data, masked like wa_id. */
  bsuid: string | null;
  parent_bsuid: string | null;
  username: string | null;
  name: string | null;
  language: string | null;
  /** Explicit timezone; null means derived from the number's country (see phone.ts). */
  timezone: string | null;
  opt_in: OptIn;
  blocked: boolean;
  labels: string[];
  fields: Record<string, unknown>;
  last_inbound_at: Date | null;
  created_at: Date;
  updated_at: Date;
  erased_at: Date | null;
  /** Meta's user_preferences: whether the person stopped marketing messages, when, and who said so. */
  marketing_opt_in: OptIn;
  marketing_opt_in_at: Date | null;
  marketing_opt_in_source: string | null;
}

/** One person's page: the row plus what is read from their messages. */
export interface PersonDetail extends PersonRecord {
  first_message_received_at: Date | null;
  /** The last time they wrote or read one of our messages. */
  last_seen_at: Date | null;
}

export const personColumns = [
  'id',
  'channel',
  'wa_id',
  'bsuid',
  'parent_bsuid',
  'username',
  'name',
  'language',
  'timezone',
  'opt_in',
  'blocked',
  'labels',
  'fields',
  'last_inbound_at',
  'created_at',
  'updated_at',
  'erased_at',
  'marketing_opt_in',
  'marketing_opt_in_at',
  'marketing_opt_in_source',
] as const;

export async function getPerson(db: DbOrTx, id: string): Promise<PersonRecord> {
  const row = await db.selectFrom('contacts').select(personColumns).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no person ${id}`, [{ field: 'id', reason: 'no such person' }]);
  return row;
}

export async function getPersonDetail(db: DbOrTx, id: string): Promise<PersonDetail> {
  const person = await getPerson(db, id);
  const activity = await sql<{ first_in: Date | null; last_read: Date | null }>`
    select (select min(created_at) from messages where contact_id = ${id} and direction = 'inbound') as first_in,
           (select max(status_at) from messages
             where contact_id = ${id} and direction = 'outbound' and status = 'read') as last_read`.execute(
    db,
  );
  const { first_in, last_read } = activity.rows[0] ?? { first_in: null, last_read: null };
  const seen = [person.last_inbound_at, last_read].filter((d): d is Date => d !== null);
  return {
    ...person,
    first_message_received_at: first_in,
    last_seen_at: seen.length === 0 ? null : new Date(Math.max(...seen.map((d) => d.getTime()))),
  };
}
