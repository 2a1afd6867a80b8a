import { type ExpressionBuilder, sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import type { Database } from '../../core/db/schema.js';
import { type OptIn, type PersonRecord, personColumns } from './person-record.js';

export interface PeopleFilter {
  /** Part of a name (any case), of a phone's digits, or of a custom field's value. */
  search?: string;
  label?: string;
  optIn?: OptIn;
  blocked?: boolean;
  /** People whose custom field `key` has exactly `value` (as text). */
  field?: { key: string; value: string };
}

export const MAX_PAGE = 500;

/**
 * People in id order, a page after `afterId` (keyset paging: stable while people are added),
 * with the number of people matching the filter.
 */
export async function listPeople(
  db: DbOrTx,
  options: PeopleFilter & { afterId?: string; limit?: number },
): Promise<{ items: PersonRecord[]; nextAfterId: string | null; total: number }> {
  const limit = Math.min(options.limit ?? 100, MAX_PAGE);
  const where = (eb: ExpressionBuilder<Database, 'contacts'>) => eb.and(conditions(eb, options));
  let page = db
    .selectFrom('contacts')
    .select(personColumns)
    .where(where)
    .orderBy('id')
    .limit(limit + 1);
  if (options.afterId) page = page.where('id', '>', options.afterId);
  const [rows, count] = await Promise.all([
    page.execute(),
    db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  const items = rows.slice(0, limit);
  return {
    items,
    nextAfterId: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
    total: Number(count.n),
  };
}

function conditions(eb: ExpressionBuilder<Database, 'contacts'>, filter: PeopleFilter) {
  const all = [];
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${escapeLike(search.toLowerCase())}%`;
    const either = [
      eb(eb.fn('lower', ['name']), 'like', pattern),
      eb.exists(
        sql<number>`(select 1 from jsonb_each_text(contacts.fields) f where lower(f.value) like ${pattern})`,
      ),
    ];
    const digits = search.replace(/[\s()+.-]/g, '');
    if (/^\d{3,15}$/.test(digits)) either.push(eb('wa_id', 'like', `%${digits}%`));
    all.push(eb.or(either));
  }
  if (filter.label !== undefined) all.push(eb('labels', '@>', sql<string[]>`array[${filter.label}]::text[]`));
  if (filter.optIn !== undefined) all.push(eb('opt_in', '=', filter.optIn));
  if (filter.blocked !== undefined) all.push(eb('blocked', '=', filter.blocked));
  if (filter.field) {
    all.push(eb(sql<string>`contacts.fields ->> ${filter.field.key}`, '=', filter.field.value));
  }
  return all;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
