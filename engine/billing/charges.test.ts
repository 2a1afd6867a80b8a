import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import { runUntilIdle } from '../../test/setup/run-until-idle.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import {
  billingBalance,
  chargesConsumer,
  checkLowBalance,
  ensureSeedRateCard,
  LOW_BALANCE_REPEAT_MS,
  publishRateCard,
  recordTopUp,
  spendReport,
  updateBillingSettings,
} from './index.js';

const { db } = await createTestDatabase();

async function sendTemplate(waId: string) {
  return db.transaction().execute((tx) =>
    queueMessage(tx, {
      channel: 'whatsapp',
      wa_id: waId,
      message: { type: 'template', name: 'weekly_reminder', language: 'en' },
      source: 'api',
    }),
  );
}

/** A status webhook as ingest logs it, with Meta's per-message `pricing` object. */
async function status(
  sent: { messageId: string; contactId: string },
  state: 'sent' | 'delivered' | 'read' | 'failed',
  at: string,
  pricing?: { type: string; category: string },
) {
  await db.transaction().execute((tx) =>
    append(tx, [
      {
        type: 'message.status',
        source: 'whatsapp',
        channel: 'whatsapp',
        contact_id: sent.contactId,
        idempotency_key: `status:${sent.messageId}:${state}`,
        payload: {
          message_id: sent.messageId,
          external_id: `wamid.${sent.messageId}`,
          status: state,
          timestamp: at,
          ...(pricing && {
            pricing: { pricing_model: 'PMP', billable: pricing.type === 'regular', ...pricing },
          }),
          ...(state === 'failed' && { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
        },
      },
    ]),
  );
}

const consumer = chargesConsumer();
const utility = { type: 'regular', category: 'utility' };

beforeAll(async () => {
  await ensureSeedRateCard(db);
  await ensureSeedRateCard(db);
  await db
    .transaction()
    .execute((tx) =>
      recordTopUp(tx, { amountMicros: 10_000_000, currency: 'USD', reference: 'INV-1', by: 'user:1' }),
    );
});

describe('billing from the log', () => {
  it('reserves the dearest template price per market, then charges delivered billable messages once', async () => {
    const za = await sendTemplate('27821110001');
    const ke = await sendTemplate('254712000001');
    const de = await sendTemplate('4915112345678');
    const za2 = await sendTemplate('27821110002');
    await runUntilIdle(db, consumer);
    // South Africa's marketing rate 0.0379, Kenya's 0.0225, Germany is not on the seed card: '*' 0.0604.
    expect((await billingBalance(db)).reserved_micros).toBe(37_900 + 22_500 + 60_400 + 37_900);

    await status(za, 'sent', '2026-12-01T08:00:00Z', utility);
    await status(za, 'delivered', '2026-12-01T08:00:05Z', utility);
    await status(ke, 'sent', '2026-12-01T08:00:00Z', { type: 'free_customer_service', category: 'utility' });
    await status(ke, 'delivered', '2026-12-01T08:00:03Z', {
      type: 'free_customer_service',
      category: 'utility',
    });
    await status(de, 'failed', '2026-12-01T08:00:01Z');
    // The delivered webhook of this one never came: read implies delivery, priced as `sent` said.
    await status(za2, 'sent', '2026-12-02T09:00:00Z', { type: 'regular', category: 'marketing' });
    await status(za2, 'read', '2026-12-02T09:10:00Z');
    await status(za, 'read', '2026-12-01T09:00:00Z');
    await runUntilIdle(db, consumer);
    // A replay from the start of the log (a new cursor) charges and reserves nothing again.
    await runUntilIdle(db, { ...chargesConsumer(), name: 'billing.charges-replay' });

    const charges = await db
      .selectFrom('charges')
      .select(['message_id', 'calling_code', 'market', 'category', 'amount_micros', 'charged_at'])
      .orderBy('id')
      .execute();
    expect(charges).toEqual([
      {
        message_id: za.messageId,
        calling_code: '27',
        market: 'South Africa',
        category: 'utility',
        amount_micros: '7600',
        charged_at: new Date('2026-12-01T08:00:05Z'),
      },
      {
        message_id: za2.messageId,
        calling_code: '27',
        market: 'South Africa',
        category: 'marketing',
        amount_micros: '37900',
        charged_at: new Date('2026-12-02T09:10:00Z'),
      },
    ]);
    const settled = await db
      .selectFrom('billing_reservations')
      .select(['message_id', 'settlement'])
      .orderBy('message_id')
      .execute();
    expect(settled).toEqual([
      { message_id: za.messageId, settlement: 'charged' },
      { message_id: ke.messageId, settlement: 'free' },
      { message_id: de.messageId, settlement: 'failed' },
      { message_id: za2.messageId, settlement: 'charged' },
    ]);
    expect(await billingBalance(db)).toMatchObject({
      top_ups_micros: 10_000_000,
      spent_micros: 45_500,
      reserved_micros: 0,
      available_micros: 10_000_000 - 45_500,
    });
    const logged = await sql<{ type: string; n: string; total: string }>`
      select type, count(*)::text as n, sum((payload->>'amount_micros')::bigint)::text as total
      from events where type like 'charge.%' group by type order by type`.execute(db);
    expect(logged.rows).toEqual([
      { type: 'charge.created', n: '2', total: '45500' },
      { type: 'charge.released', n: '2', total: String(22_500 + 60_400) },
      { type: 'charge.reserved', n: '4', total: String(37_900 + 22_500 + 60_400 + 37_900) },
    ]);
    const spend = await spendReport(db, {
      from: new Date('2026-12-01T00:00:00Z'),
      until: new Date('2027-01-01T00:00:00Z'),
    });
    expect(spend).toMatchObject({
      total_micros: 45_500,
      messages: 2,
      by_day: [
        { day: '2026-12-01', amount_micros: 7600, messages: 1 },
        { day: '2026-12-02', amount_micros: 37_900, messages: 1 },
      ],
      by_channel: [{ channel: 'whatsapp', amount_micros: 45_500, messages: 2 }],
      by_market: [
        {
          calling_code: '27',
          market: 'South Africa',
          category: 'marketing',
          amount_micros: 37_900,
          messages: 1,
        },
        { calling_code: '27', market: 'South Africa', category: 'utility', amount_micros: 7600, messages: 1 },
      ],
    });
  });

  it('charges with the rate card in force at delivery', async () => {
    await db.transaction().execute((tx) =>
      publishRateCard(tx, {
        effectiveFrom: new Date('2027-01-01T00:00:00Z'),
        currency: 'USD',
        source: 'test',
        by: 'user:1',
        rates: [
          { calling_code: '*', market: 'Other', category: 'marketing', rate_micros: 50_000 },
          { calling_code: '*', market: 'Other', category: 'utility', rate_micros: 5000 },
          { calling_code: '*', market: 'Other', category: 'authentication', rate_micros: 5000 },
          { calling_code: '*', market: 'Other', category: 'service', rate_micros: 0 },
        ],
      }),
    );
    const before = await sendTemplate('27821110003');
    const after = await sendTemplate('27821110004');
    await status(before, 'delivered', '2026-12-31T23:59:59Z', utility);
    await status(after, 'delivered', '2027-01-01T00:00:01Z', utility);
    await runUntilIdle(db, consumer);
    const amounts = await db
      .selectFrom('charges')
      .select(['message_id', 'amount_micros', 'market'])
      .where('message_id', 'in', [before.messageId, after.messageId])
      .orderBy('id')
      .execute();
    expect(amounts).toEqual([
      { message_id: before.messageId, amount_micros: '7600', market: 'South Africa' },
      { message_id: after.messageId, amount_micros: '5000', market: 'Other' },
    ]);
  });

  it('refuses an incomplete rate card with the missing categories named', async () => {
    await expect(
      db.transaction().execute((tx) =>
        publishRateCard(tx, {
          effectiveFrom: new Date(),
          currency: 'USD',
          source: 'test',
          by: 'user:1',
          rates: [{ calling_code: '27', market: 'South Africa', category: 'marketing', rate_micros: 1 }],
        }),
      ),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [
        { field: 'rates', reason: "needs a '*' (every other market) rate for marketing" },
        { field: 'rates', reason: "needs a '*' (every other market) rate for utility" },
        { field: 'rates', reason: "needs a '*' (every other market) rate for authentication" },
        { field: 'rates', reason: "needs a '*' (every other market) rate for service" },
      ],
    });
  });

  it('alerts on a low balance once every two days while it lasts, and again after a recovery', async () => {
    const { available_micros } = await billingBalance(db);
    await db.transaction().execute((tx) =>
      updateBillingSettings(tx, {
        low_balance_micros: available_micros + 1,
        billing_contact: 'finance@example.org',
      }),
    );
    const t0 = new Date();
    const alerted = async (at: Date) => db.transaction().execute((tx) => checkLowBalance(tx, at));
    expect(await alerted(new Date(t0.getTime() + 1000))).toBe(false);
    expect(await alerted(new Date(t0.getTime() + LOW_BALANCE_REPEAT_MS + 1000))).toBe(true);
    const alerts = await sql<{ available: string; contact: string }>`
      select payload->>'available_micros' as available, payload->>'billing_contact' as contact
      from events where type = 'billing.low_balance' order by id`.execute(db);
    expect(alerts.rows).toEqual([
      { available: String(available_micros), contact: 'finance@example.org' },
      { available: String(available_micros), contact: 'finance@example.org' },
    ]);
    await db
      .transaction()
      .execute((tx) =>
        recordTopUp(tx, { amountMicros: 5_000_000, currency: 'USD', reference: 'INV-2', by: 'user:1' }),
      );
    const repeated = await db
      .transaction()
      .execute((tx) =>
        recordTopUp(tx, { amountMicros: 5_000_000, currency: 'USD', reference: 'INV-2', by: 'user:1' }),
      );
    expect(repeated.created).toBe(false);
    await expect(
      db
        .transaction()
        .execute((tx) =>
          recordTopUp(tx, { amountMicros: 1, currency: 'USD', reference: 'INV-2', by: 'user:1' }),
        ),
    ).rejects.toThrow('reference INV-2 was recorded with another amount');
    expect(
      (await db.selectFrom('billing_settings').select('last_low_balance_alert_at').executeTakeFirstOrThrow())
        .last_low_balance_alert_at,
    ).toBeNull();
    expect((await billingBalance(db)).top_ups_micros).toBe(15_000_000);
  });
});
