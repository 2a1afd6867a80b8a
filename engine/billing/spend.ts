import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

export interface SpendReport {
  from: string;
  until: string;
  currency: string;
  total_micros: number;
  messages: number;
  by_day: { day: string; amount_micros: number; messages: number }[];
  by_channel: { channel: string; amount_micros: number; messages: number }[];
  by_market: {
    calling_code: string;
    market: string;
    category: string;
    amount_micros: number;
    messages: number;
  }[];
}

type Row = { amount_micros: string; messages: string };

/**
 * Spend on delivered messages in [from, until), by day (UTC), by number (channel) and by market
 * and category: the tables and charts of the billing page. Read from `charges`, the same rows
 * whose `charge.created` events the warehouse's `charges` table mirrors, so the page and the
 * warehouse add up to the same total.
 */
export async function spendReport(db: DbOrTx, range: { from: Date; until: Date }): Promise<SpendReport> {
  const where = sql`charged_at >= ${range.from} and charged_at < ${range.until}`;
  const [total, byDay, byChannel, byMarket, currency] = await Promise.all([
    sql<Row>`select coalesce(sum(amount_micros), 0)::text as amount_micros, count(*)::text as messages
             from charges where ${where}`.execute(db),
    sql<Row & { day: string }>`
      select to_char(charged_at at time zone 'UTC', 'YYYY-MM-DD') as day,
             sum(amount_micros)::text as amount_micros, count(*)::text as messages
      from charges where ${where} group by 1 order by 1`.execute(db),
    sql<Row & { channel: string }>`
      select channel, sum(amount_micros)::text as amount_micros, count(*)::text as messages
      from charges where ${where} group by 1 order by 2 desc, 1`.execute(db),
    sql<Row & { calling_code: string; market: string; category: string }>`
      select calling_code, market, category, sum(amount_micros)::text as amount_micros, count(*)::text as messages
      from charges where ${where} group by 1, 2, 3 order by sum(amount_micros) desc, 1, 3`.execute(db),
    sql<{
      currency: string;
    }>`select currency from rate_cards order by effective_from desc, id desc limit 1`.execute(db),
  ]);
  const numbers = <T extends Row>(row: T) => ({
    ...row,
    amount_micros: Number(row.amount_micros),
    messages: Number(row.messages),
  });
  return {
    from: range.from.toISOString(),
    until: range.until.toISOString(),
    currency: currency.rows[0]?.currency ?? 'USD',
    total_micros: Number(total.rows[0]?.amount_micros ?? 0),
    messages: Number(total.rows[0]?.messages ?? 0),
    by_day: byDay.rows.map(numbers),
    by_channel: byChannel.rows.map(numbers),
    by_market: byMarket.rows.map(numbers),
  };
}

/** The calendar month (UTC) holding `at`, or the one before with `offset` -1: the page's two periods. */
export function monthRange(at: Date, offset = 0): { from: Date; until: Date } {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
  const until = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset + 1, 1));
  return { from, until };
}
