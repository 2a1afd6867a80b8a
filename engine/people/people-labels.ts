import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

/** Every label in use with how many people carry it, by label. */
export async function peopleLabels(db: DbOrTx): Promise<{ label: string; count: number }[]> {
  const result = await sql<{ label: string; count: string }>`
    select label, count(*) as count from contacts, unnest(labels) as label
    group by label order by label`.execute(db);
  return result.rows.map((r) => ({ label: r.label, count: Number(r.count) }));
}
