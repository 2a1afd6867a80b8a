import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import { normaliseLabels, sameLabels } from './profile-changes.js';

export const MAX_LABEL_TARGETS = 10_000;

/**
 * Adds and removes labels on many people in one transaction: rows are locked in id order
 * (so two bulk edits cannot deadlock), and each person whose labels change gets one
 * contact.updated with the whole sorted list before and after. One UPDATE and one append for
 * all of them (a row and an event at a time, 10,000 people took seconds of round trips).
 * Returns how many changed.
 */
export async function setLabels(
  db: DbOrTx,
  input: { ids: readonly string[]; add?: readonly string[]; remove?: readonly string[]; by: string },
): Promise<{ updated: number }> {
  if (input.ids.length > MAX_LABEL_TARGETS) {
    throw new AppError('validation_failed', `at most ${MAX_LABEL_TARGETS} people at once`, [
      { field: 'ids', reason: `at most ${MAX_LABEL_TARGETS}` },
    ]);
  }
  const add = normaliseLabels(input.add ?? []);
  const remove = new Set(normaliseLabels(input.remove ?? []));
  const tooLong = [...add, ...remove].find((l) => l.length > 100);
  if (tooLong)
    throw new AppError('validation_failed', 'labels are at most 100 characters', [
      { field: 'add', reason: `"${tooLong.slice(0, 20)}…" is too long` },
    ]);
  if (input.ids.length === 0 || (add.length === 0 && remove.size === 0)) return { updated: 0 };
  return inTransaction(db, async (tx) => {
    const people = await tx
      .selectFrom('contacts')
      .select(['id', 'channel', 'labels'])
      .where('id', 'in', [...new Set(input.ids)])
      .where('erased_at', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    const changed = people.flatMap((person) => {
      const labels = normaliseLabels([...person.labels, ...add]).filter((l) => !remove.has(l));
      return sameLabels(labels, person.labels) ? [] : [{ ...person, after: labels }];
    });
    if (changed.length === 0) return { updated: 0 };
    await sql`
      update contacts c set labels = v.labels, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(changed.map((p) => ({ id: p.id, labels: p.after })))}::jsonb)
        as v(id bigint, labels text[])
      where c.id = v.id`.execute(tx);
    await append(
      tx,
      changed.map((person) => ({
        type: 'contact.updated' as const,
        source: 'api',
        channel: person.channel,
        contact_id: person.id,
        payload: { changes: { labels: { from: person.labels, to: person.after } }, by: input.by },
      })),
    );
    return { updated: changed.length };
  });
}
