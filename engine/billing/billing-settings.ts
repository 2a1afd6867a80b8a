import type { DbOrTx, Tx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { billingBalance } from './balance.js';
import { checkLowBalance } from './low-balance.js';

export interface BillingSettings {
  low_balance_micros: number;
  refuse_when_empty: boolean;
  /** An email address or a note of who to tell; the alert itself goes out as `billing.low_balance`. */
  billing_contact: string | null;
}

export async function getBillingSettings(db: DbOrTx): Promise<BillingSettings> {
  const row = await db
    .selectFrom('billing_settings')
    .select(['low_balance_micros', 'refuse_when_empty', 'billing_contact'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { ...row, low_balance_micros: Number(row.low_balance_micros) };
}

/** Changes the settings (the caller audits who did it) and checks the balance against a new threshold. */
export async function updateBillingSettings(
  tx: Tx,
  patch: Partial<BillingSettings>,
): Promise<BillingSettings> {
  await tx
    .updateTable('billing_settings')
    .set({
      ...(patch.low_balance_micros !== undefined && { low_balance_micros: String(patch.low_balance_micros) }),
      ...(patch.refuse_when_empty !== undefined && { refuse_when_empty: patch.refuse_when_empty }),
      ...(patch.billing_contact !== undefined && { billing_contact: patch.billing_contact }),
    })
    .where('id', '=', 1)
    .execute();
  await checkLowBalance(tx);
  return getBillingSettings(tx);
}

/**
 * Refuses a send of `estimateMicros` when the organisation chose to stop sending once nothing is
 * available and this send would go past zero. Reminders call it before a run and per batch.
 */
export async function assertFundsFor(db: DbOrTx, estimateMicros: number): Promise<void> {
  const balance = await billingBalance(db);
  if (!balance.refuse_when_empty) return;
  if (balance.available_micros - estimateMicros < 0) {
    throw new AppError(
      'insufficient_funds',
      `not enough funds: ${balance.available_micros / 1e6} ${balance.currency} available, this needs ${estimateMicros / 1e6}`,
    );
  }
}
