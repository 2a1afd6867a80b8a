import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import { personColumns } from './person-record.js';
import { normaliseLabels, saveProfile } from './profile-changes.js';

export const MAX_LABEL_TARGETS = 10_000;

/**
 * Adds and removes labels on many people in one transaction: rows are locked in id order
 * (so two bulk edits cannot deadlock), and each person whose labels change gets one
 * contact.updated with the whole sorted list before and after. Returns how many changed.
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
      .select(personColumns)
      .where('id', 'in', [...new Set(input.ids)])
      .where('erased_at', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    let updated = 0;
    for (const person of people) {
      const labels = normaliseLabels([...person.labels, ...add]).filter((l) => !remove.has(l));
      const after = await saveProfile(tx, person, { ...person, labels }, { by: input.by });
      if (after !== person) updated++;
    }
    return { updated };
  });
}
