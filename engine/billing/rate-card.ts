import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../core/db/database.js';
import type { BillingCategory } from '../../core/db/schema.js';
import { AppError, type FieldError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import type { Rate } from './rate-card-csv.js';

export interface RateCard {
  id: string;
  effective_from: Date;
  currency: string;
  source: string;
  created_by: string;
  rates: Rate[];
}

/** The categories every card must price for any market (a `*` line), so no message goes unpriced. */
const required: BillingCategory[] = ['marketing', 'utility', 'authentication', 'service'];

/**
 * Publishes a new version of the rate card, in force from `effectiveFrom` (past messages keep the
 * version they were charged with). Logged as `billing.rate_card_published`.
 */
export async function publishRateCard(
  tx: Tx,
  input: { effectiveFrom: Date; currency: string; source: string; by: string; rates: Rate[] },
): Promise<RateCard> {
  const errors: FieldError[] = [];
  if (!/^[A-Z]{3}$/.test(input.currency))
    errors.push({ field: 'currency', reason: 'must be an ISO 4217 code such as USD' });
  const seen = new Set<string>();
  for (const rate of input.rates) {
    const key = `${rate.calling_code}/${rate.category}`;
    if (seen.has(key)) errors.push({ field: 'rates', reason: `${key} is priced twice` });
    seen.add(key);
  }
  for (const category of required) {
    if (!seen.has(`*/${category}`))
      errors.push({ field: 'rates', reason: `needs a '*' (every other market) rate for ${category}` });
  }
  if (errors.length > 0) throw new AppError('validation_failed', 'the rate card is incomplete', errors);
  const card = await tx
    .insertInto('rate_cards')
    .values({
      effective_from: input.effectiveFrom,
      currency: input.currency,
      source: input.source,
      created_by: input.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('rate_card_rates')
    .values(input.rates.map((rate) => ({ ...rate, rate_card_id: card.id })))
    .execute();
  await append(tx, [
    {
      type: 'billing.rate_card_published',
      source: 'billing',
      payload: {
        rate_card_id: card.id,
        effective_from: input.effectiveFrom.toISOString(),
        currency: input.currency,
        rates: input.rates.length,
        source: input.source,
        by: input.by,
      },
    },
  ]);
  return { ...card, rates: input.rates };
}

/** The version in force at `at` (the latest that took effect by then), with its rates. */
export async function rateCardAt(db: DbOrTx, at: Date): Promise<RateCard | null> {
  const card = await db
    .selectFrom('rate_cards')
    .selectAll()
    .where('effective_from', '<=', at)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!card) return null;
  const rates = await db
    .selectFrom('rate_card_rates')
    .select(['calling_code', 'market', 'category', 'rate_micros'])
    .where('rate_card_id', '=', card.id)
    .orderBy(sql`calling_code = '*'`)
    .orderBy(sql`length(calling_code)`)
    .orderBy('calling_code')
    .execute();
  return { ...card, rates: rates.map((r) => ({ ...r, rate_micros: Number(r.rate_micros) })) };
}

/** Every version, newest first, without rates (the history an admin browses). */
export async function listRateCards(db: DbOrTx) {
  return db
    .selectFrom('rate_cards')
    .selectAll()
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export interface PricedRate {
  rateCardId: string;
  currency: string;
  callingCode: string;
  market: string;
  rateMicros: number;
}

/**
 * The price of one message of `category` to a market, from the card in force at `at`: the
 * market's own rate, else the card's '*' rate. International authentication falls back to the
 * market's authentication rate where the card has no separate one.
 */
export function priceFrom(card: RateCard, callingCode: string | null, category: BillingCategory): PricedRate {
  const categories: BillingCategory[] =
    category === 'authentication_international'
      ? ['authentication_international', 'authentication']
      : [category];
  for (const code of [callingCode, '*']) {
    if (code === null) continue;
    for (const wanted of categories) {
      const rate = card.rates.find((r) => r.calling_code === code && r.category === wanted);
      if (rate) {
        return {
          rateCardId: card.id,
          currency: card.currency,
          callingCode: code,
          market: rate.market,
          rateMicros: rate.rate_micros,
        };
      }
    }
  }
  throw new AppError('internal', `rate card ${card.id} prices no ${category} message`);
}

/** Like priceFrom, with the card looked up; an error when no card was in force yet. */
export async function priceAt(
  db: DbOrTx,
  at: Date,
  callingCode: string | null,
  category: BillingCategory,
): Promise<PricedRate> {
  const card = await rateCardAt(db, at);
  if (!card)
    throw new AppError('unavailable', `no rate card was in force at ${at.toISOString()}: publish one`);
  return priceFrom(card, callingCode, category);
}
