import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

export interface BillingBalance {
  currency: string;
  top_ups_micros: number;
  spent_micros: number;
  reserved_micros: number;
  /** Paid top-ups − spend on delivered templates − reserved for pending ones (Turn.io's rule). */
  available_micros: number;
  low_balance_micros: number;
  /** Below the configured threshold (0 turns the alert off). */
  low: boolean;
  refuse_when_empty: boolean;
}

/** The amount available and its parts, in one statement so the parts always add up. */
export async function billingBalance(db: DbOrTx): Promise<BillingBalance> {
  const result = await sql<{
    currency: string | null;
    top_ups: string;
    spent: string;
    reserved: string;
    threshold: string;
    refuse: boolean;
  }>`
    select
      (select currency from rate_cards order by effective_from desc, id desc limit 1) as currency,
      (select coalesce(sum(amount_micros), 0) from billing_top_ups)::text as top_ups,
      (select coalesce(sum(amount_micros), 0) from charges)::text as spent,
      (select coalesce(sum(amount_micros), 0) from billing_reservations where settled_at is null)::text as reserved,
      s.low_balance_micros::text as threshold,
      s.refuse_when_empty as refuse
    from billing_settings s where s.id = 1`.execute(db);
  const row = result.rows[0]!;
  const available = Number(row.top_ups) - Number(row.spent) - Number(row.reserved);
  const threshold = Number(row.threshold);
  return {
    currency: row.currency ?? 'USD',
    top_ups_micros: Number(row.top_ups),
    spent_micros: Number(row.spent),
    reserved_micros: Number(row.reserved),
    available_micros: available,
    low_balance_micros: threshold,
    low: threshold > 0 && available < threshold,
    refuse_when_empty: row.refuse,
  };
}
