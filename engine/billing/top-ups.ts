import type { DbOrTx, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import { billingBalance } from './balance.js';
import { checkLowBalance } from './low-balance.js';

export interface TopUp {
  id: string;
  amount_micros: number;
  currency: string;
  reference: string;
  note: string | null;
  recorded_by: string;
  recorded_at: Date;
}

/**
 * Records paid funds. The one way money comes in: an admin today, a payment provider's callback
 * later. The reference makes it idempotent: the same reference and amount again returns the
 * first top-up; the same reference with another amount is a conflict.
 */
export async function recordTopUp(
  tx: Tx,
  input: { amountMicros: number; currency: string; reference: string; note?: string | null; by: string },
): Promise<{ topUp: TopUp; created: boolean }> {
  const balance = await billingBalance(tx);
  if (input.currency !== balance.currency) {
    throw new AppError('validation_failed', `top-ups are in ${balance.currency}, the rate card's currency`, [
      { field: 'currency', reason: `must be ${balance.currency}` },
    ]);
  }
  const inserted = await tx
    .insertInto('billing_top_ups')
    .values({
      amount_micros: input.amountMicros,
      currency: input.currency,
      reference: input.reference,
      note: input.note ?? null,
      recorded_by: input.by,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) {
    const existing = await tx
      .selectFrom('billing_top_ups')
      .selectAll()
      .where('reference', '=', input.reference)
      .executeTakeFirstOrThrow();
    if (Number(existing.amount_micros) !== input.amountMicros) {
      throw new AppError('conflict', `reference ${input.reference} was recorded with another amount`, [
        { field: 'reference', reason: 'already used for another amount' },
      ]);
    }
    return { topUp: present(existing), created: false };
  }
  await append(tx, [
    {
      type: 'billing.top_up',
      source: 'billing',
      idempotency_key: `top-up:${input.reference}`,
      payload: {
        top_up_id: inserted.id,
        amount_micros: input.amountMicros,
        currency: input.currency,
        reference: input.reference,
        note: input.note ?? null,
        by: input.by,
      },
    },
  ]);
  await checkLowBalance(tx);
  return { topUp: present(inserted), created: true };
}

export async function listTopUps(db: DbOrTx, limit = 100): Promise<TopUp[]> {
  const rows = await db
    .selectFrom('billing_top_ups')
    .selectAll()
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(present);
}

function present(row: Omit<TopUp, 'amount_micros'> & { amount_micros: string }): TopUp {
  return { ...row, amount_micros: Number(row.amount_micros) };
}
