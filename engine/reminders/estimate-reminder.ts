import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { billingBalance, callingCodeOf, priceFrom, rateCardAt } from '../billing/index.js';
import type { SnapshotWarehouse } from '../segments/index.js';
import { getSegment, normaliseSegmentSql } from '../segments/index.js';
import type { Audience, ReminderOptions, ReminderTemplate } from './reminder.schema.js';
import { skipReasonSql } from './skip-reason.js';

export interface ReminderEstimate {
  targeted: number;
  reach: number;
  skipped: Record<string, number>;
  cost_by_market: {
    calling_code: string;
    market: string;
    category: string;
    people: number;
    cost_micros: number;
  }[];
  total_micros: number;
  currency: string;
  available_micros: number;
  /** The amount available covers the estimate. */
  enough: boolean;
}

/**
 * Before a reminder is sent or scheduled: how many people it reaches, how many are skipped and
 * why (the rules a run applies), and what it will cost by market and category at today's rate
 * card, against the amount available. A template delivered inside an open window may turn out
 * free, so this is an upper bound.
 */
export async function estimateReminder(
  db: DbOrTx,
  warehouse: Pick<SnapshotWarehouse, 'sandbox' | 'canReadPii'> | undefined,
  input: { audience: Audience; template: Pick<ReminderTemplate, 'category'>; options: ReminderOptions },
  reminderId: string | null = null,
): Promise<ReminderEstimate> {
  const ids = await audienceIds(db, warehouse, input.audience);
  const marketing = input.template.category === 'marketing';
  const rows: { id: string; wa_id: string | null; bsuid: string | null; reason: string | null }[] = [];
  for (let i = 0; i < ids.length; i += 50_000) {
    const slice = ids.slice(i, i + 50_000);
    const result = await sql<{
      id: string;
      wa_id: string | null;
      bsuid: string | null;
      reason: string | null;
    }>`
      select c.id, c.wa_id, c.bsuid,
        ${skipReasonSql({ marketing, reminderId, recentDays: input.options.skip_recent_days })} as reason
      from contacts c where c.id = any(${slice}::bigint[]) and c.merged_into is null`.execute(db);
    rows.push(...result.rows);
  }
  const card = await rateCardAt(db, new Date());
  if (!card) throw new AppError('unavailable', 'no rate card is in force: publish one under Billing');
  const skipped: Record<string, number> = {};
  const markets = new Map<string, ReminderEstimate['cost_by_market'][number]>();
  for (const row of rows) {
    if (row.reason) {
      skipped[row.reason] = (skipped[row.reason] ?? 0) + 1;
      continue;
    }
    const price = priceFrom(
      card,
      callingCodeOf({ phone: row.wa_id, bsuid: row.bsuid }),
      input.template.category,
    );
    const key = price.callingCode;
    const market = markets.get(key) ?? {
      calling_code: price.callingCode,
      market: price.market,
      category: input.template.category,
      people: 0,
      cost_micros: 0,
    };
    market.people += 1;
    market.cost_micros += price.rateMicros;
    markets.set(key, market);
  }
  const costByMarket = [...markets.values()].sort(
    (a, b) => b.cost_micros - a.cost_micros || a.calling_code.localeCompare(b.calling_code),
  );
  const total = costByMarket.reduce((sum, m) => sum + m.cost_micros, 0);
  const balance = await billingBalance(db);
  return {
    targeted: rows.length,
    reach: rows.length - Object.values(skipped).reduce((a, b) => a + b, 0),
    skipped,
    cost_by_market: costByMarket,
    total_micros: total,
    currency: card.currency,
    available_micros: balance.available_micros,
    enough: balance.available_micros >= total,
  };
}

/** The people a reminder would target now: the list, or the segment's members in the warehouse. */
async function audienceIds(
  db: DbOrTx,
  warehouse: Pick<SnapshotWarehouse, 'sandbox' | 'canReadPii'> | undefined,
  audience: Audience,
): Promise<string[]> {
  if ('contact_ids' in audience) return [...new Set(audience.contact_ids)];
  if (!warehouse)
    throw new AppError('unavailable', 'the warehouse is not running: segments cannot be counted');
  const segment = await getSegment(db, audience.segment_id);
  // The caller sees the counts: their SQL reads the masked catalogue unless they have pii.read.
  const result = await warehouse.sandbox(normaliseSegmentSql(segment.sql), {
    canReadPii: warehouse.canReadPii,
    timeoutMs: 60_000,
    rowLimit: 5_000_000,
    wrap: {
      before: 'SELECT DISTINCT TRY_CAST(segment.contact_id AS BIGINT)::VARCHAR AS contact_id FROM (',
      after: '\n) segment WHERE TRY_CAST(segment.contact_id AS BIGINT) IS NOT NULL',
    },
  });
  return result.rows.map((row) => String(row.contact_id));
}
