import type { DbOrTx, Tx } from './database.js';

/**
 * Runs `fn` in the caller's transaction when given one, else in a new transaction: data
 * functions stay composable (the caller owns the transaction, CONVENTIONS.md) and a change
 * and its event always commit together.
 */
export function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}
