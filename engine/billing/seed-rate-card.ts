import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { publishRateCard } from './rate-card.js';
import { parseRateCardCsv } from './rate-card-csv.js';

/** The card a new installation starts with (sql/rate-cards), so every message can be priced. */
export const seedRateCardFile = new URL('../../sql/rate-cards/2025-07-01-usd.csv', import.meta.url).pathname;

/**
 * Publishes the seed card when no card exists yet (first start). The figures are Meta's per-message
 * rates in USD as of 1 July 2025 for a few markets; an admin publishes the current card as a
 * new version (Billing → Rate card, or POST /v1/billing/rate-card).
 */
export async function ensureSeedRateCard(db: Db): Promise<void> {
  const existing = await db.selectFrom('rate_cards').select('id').limit(1).executeTakeFirst();
  if (existing) return;
  const rates = parseRateCardCsv(await readFile(seedRateCardFile, 'utf8'));
  await inTransaction(db, async (tx) => {
    // Two instances starting together: the second waits here and then sees the first's card.
    await sql`lock table rate_cards in exclusive mode`.execute(tx);
    const again = await tx.selectFrom('rate_cards').select('id').limit(1).executeTakeFirst();
    if (again) return;
    await publishRateCard(tx, {
      effectiveFrom: new Date('2025-07-01T00:00:00Z'),
      currency: 'USD',
      source: 'seed: Meta per-message rates of 1 July 2025 (sql/rate-cards/2025-07-01-usd.csv)',
      by: 'system',
      rates,
    });
  });
}
