import { sql } from 'kysely';
import type { Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import type { Consumer } from '../../core/log/consumer.js';
import {
  type MessageStatusPayload,
  messageQueuedPayloadSchema,
  messageStatusPayloadSchema,
} from '../../core/log/events/message.schema.js';
import type { StoredEvent } from '../../core/log/reader.js';
import { checkLowBalance } from './low-balance.js';
import { callingCodeOf } from './market-of.js';
import { pricingDecision } from './pricing-decision.js';
import { priceAt, priceFrom, rateCardAt } from './rate-card.js';

export const CHARGES_CONSUMER = 'billing.charges';

/**
 * Keeps the bill from the log: a queued template message reserves its price, and its statuses
 * settle the reservation (a charge when delivered and billable, a release when free or
 * failed). Everything happens in the consumer's transaction with its cursor, and each message is
 * charged at most once (charges.message_id is unique, the event's idempotency key too), so a
 * crash or a replay never bills twice.
 */
export function chargesConsumer(): Consumer {
  return {
    name: CHARGES_CONSUMER,
    types: ['message.queued', 'message.status'],
    batchSize: 500,
    async handle(tx, events) {
      for (const event of events) {
        if (event.type === 'message.queued') await reserve(tx, event);
        else await settle(tx, event);
      }
      await checkLowBalance(tx);
    },
  };
}

interface Recipient {
  message_id: string;
  contact_id: string;
  channel: string;
  wa_id: string | null;
  bsuid: string | null;
}

async function recipientOf(tx: Tx, messageId: string): Promise<Recipient | undefined> {
  return tx
    .selectFrom('messages')
    .innerJoin('contacts', 'contacts.id', 'messages.contact_id')
    .select([
      'messages.id as message_id',
      'messages.contact_id',
      'messages.channel',
      'contacts.wa_id',
      'contacts.bsuid',
    ])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
}

/**
 * A template's category is settled by Meta only at delivery, so the reservation holds the
 * dearest of the market's template prices (marketing, utility, authentication): the amount
 * available is never overstated while the message is pending.
 */
async function reserve(tx: Tx, event: StoredEvent) {
  const queued = messageQueuedPayloadSchema.parse(event.payload);
  if (queued.message_type !== 'template') return;
  const recipient = await recipientOf(tx, queued.message_id);
  if (!recipient) return;
  const card = await rateCardAt(tx, event.occurred_at);
  if (!card) return;
  const code = callingCodeOf({ phone: recipient.wa_id, bsuid: recipient.bsuid });
  const prices = (['marketing', 'utility', 'authentication'] as const).map((c) => priceFrom(card, code, c));
  const dearest = prices.reduce((a, b) => (b.rateMicros > a.rateMicros ? b : a));
  const inserted = await tx
    .insertInto('billing_reservations')
    .values({
      message_id: queued.message_id,
      contact_id: recipient.contact_id,
      amount_micros: dearest.rateMicros,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  if (!inserted) return;
  await append(tx, [
    {
      type: 'charge.reserved',
      source: 'billing',
      idempotency_key: `reserve:${queued.message_id}`,
      contact_id: recipient.contact_id,
      channel: recipient.channel,
      occurred_at: event.occurred_at,
      payload: {
        message_id: queued.message_id,
        amount_micros: dearest.rateMicros,
        currency: dearest.currency,
        calling_code: dearest.callingCode,
        market: dearest.market,
      },
    },
  ]);
}

async function settle(tx: Tx, event: StoredEvent) {
  const status = messageStatusPayloadSchema.parse(event.payload);
  if (!status.message_id) return;
  const earlier = status.pricing ? undefined : await earlierPricing(tx, event, status.message_id);
  const decision = pricingDecision(status, earlier);
  if (decision.kind === 'wait') return;
  if (decision.kind === 'free' || decision.kind === 'failed') {
    await release(tx, event, status.message_id, decision.kind);
    return;
  }
  const recipient = await recipientOf(tx, status.message_id);
  if (!recipient) return;
  const charged = await tx
    .selectFrom('charges')
    .select('id')
    .where('message_id', '=', status.message_id)
    .executeTakeFirst();
  if (charged) return;
  const deliveredAt = new Date(status.timestamp);
  const price = await priceAt(
    tx,
    deliveredAt,
    callingCodeOf({ phone: recipient.wa_id, bsuid: recipient.bsuid }),
    decision.category,
  );
  const reservation = await tx
    .updateTable('billing_reservations')
    .set({ settled_at: new Date(), settlement: 'charged' })
    .where('message_id', '=', status.message_id)
    .where('settled_at', 'is', null)
    .returning('amount_micros')
    .executeTakeFirst();
  const charge = await tx
    .insertInto('charges')
    .values({
      message_id: status.message_id,
      contact_id: recipient.contact_id,
      channel: recipient.channel,
      calling_code: price.callingCode,
      market: price.market,
      category: decision.category,
      pricing_model: decision.pricingModel,
      rate_card_id: price.rateCardId,
      amount_micros: price.rateMicros,
      currency: price.currency,
      charged_at: deliveredAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await append(tx, [
    {
      type: 'charge.created',
      source: 'billing',
      idempotency_key: `charge:${status.message_id}`,
      contact_id: recipient.contact_id,
      channel: recipient.channel,
      occurred_at: deliveredAt,
      payload: {
        charge_id: charge.id,
        message_id: status.message_id,
        amount_micros: price.rateMicros,
        currency: price.currency,
        category: decision.category,
        pricing_model: decision.pricingModel,
        rate_card_id: price.rateCardId,
        calling_code: price.callingCode,
        market: price.market,
        reserved_micros: Number(reservation?.amount_micros ?? 0),
      },
    },
  ]);
}

async function release(tx: Tx, event: StoredEvent, messageId: string, reason: 'free' | 'failed') {
  const released = await tx
    .updateTable('billing_reservations')
    .set({ settled_at: new Date(), settlement: reason })
    .where('message_id', '=', messageId)
    .where('settled_at', 'is', null)
    .returning(['amount_micros', 'contact_id'])
    .executeTakeFirst();
  if (!released) return;
  const card = await rateCardAt(tx, event.occurred_at);
  await append(tx, [
    {
      type: 'charge.released',
      source: 'billing',
      idempotency_key: `release:${messageId}`,
      contact_id: released.contact_id,
      channel: event.channel,
      occurred_at: event.occurred_at,
      payload: {
        message_id: messageId,
        amount_micros: Number(released.amount_micros),
        currency: card?.currency ?? 'USD',
        reason,
      },
    },
  ]);
}

/** The pricing an earlier status of the message carried (Meta sends it with sent and delivered, not read). */
async function earlierPricing(
  tx: Tx,
  event: StoredEvent,
  messageId: string,
): Promise<MessageStatusPayload['pricing']> {
  if (!event.contact_id) return undefined;
  const rows = await sql<{ pricing: MessageStatusPayload['pricing'] }>`
    select payload->'pricing' as pricing from events
    where contact_id = ${event.contact_id} and type = 'message.status' and id < ${event.id}
      and payload->>'message_id' = ${messageId} and payload ? 'pricing'
    order by id desc limit 1`.execute(tx);
  return rows.rows[0]?.pricing ?? undefined;
}
