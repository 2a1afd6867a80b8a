import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

export interface FieldUser {
  kind: 'segment';
  id: string;
  name: string;
}

/**
 * What uses each custom field, by key: a list of sources, each answering for its own kind.
 * Segments read `field_keys` (archived ones no longer count); journeys and reminders will add
 * their sources here.
 */
const sources: ((db: DbOrTx, keys: string[]) => Promise<(FieldUser & { key: string })[]>)[] = [
  async (db, keys) => {
    const rows = await db
      .selectFrom('segments')
      .select(['id', 'name', 'field_keys'])
      .where('archived_at', 'is', null)
      .where('field_keys', '&&', sql<string[]>`${keys}::text[]`)
      .orderBy('id')
      .execute();
    return rows.flatMap((r) =>
      r.field_keys
        .filter((k) => keys.includes(k))
        .map((key) => ({ key, kind: 'segment' as const, id: r.id, name: r.name })),
    );
  },
];

export async function customFieldUsers(db: DbOrTx, keys: string[]): Promise<Map<string, FieldUser[]>> {
  const users = new Map<string, FieldUser[]>();
  if (keys.length === 0) return users;
  for (const source of sources) {
    for (const { key, ...user } of await source(db, keys)) users.set(key, [...(users.get(key) ?? []), user]);
  }
  return users;
}
