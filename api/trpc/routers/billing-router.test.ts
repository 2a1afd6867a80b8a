import { describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import { queueMessage } from '../../../core/outbox/queue-message.js';
import { chargesConsumer, ensureSeedRateCard } from '../../../engine/billing/index.js';
import { runUntilIdle } from '../../../test/setup/run-until-idle.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
await ensureSeedRateCard(db);
const services = testServices(db);

describe('billing procedures', () => {
  it('lets admins manage, builders and analysts read, and nobody else see billing', async () => {
    const admin = callerFor(services, (await createMember(db, 'admin')).actor).caller;
    const builder = callerFor(services, (await createMember(db, 'builder')).actor).caller;
    const operator = callerFor(services, (await createMember(db, 'operator')).actor).caller;

    const zero = await errorShape(
      admin.billing.recordTopUp({ amount: '0', currency: 'USD', reference: 'T-0' }),
    );
    expect(zero.data.fields).toEqual([{ field: 'amount', reason: 'must be more than 0' }]);
    await admin.billing.recordTopUp({ amount: '25.00', currency: 'USD', reference: 'T-1' });
    expect(await builder.billing.balance()).toMatchObject({
      top_ups: '25.00',
      available: '25.00',
      low: false,
    });
    expect(
      (await errorShape(builder.billing.recordTopUp({ amount: '1', currency: 'USD', reference: 'T-2' }))).data
        .code,
    ).toBe('FORBIDDEN');
    expect((await errorShape(operator.billing.balance())).data.code).toBe('FORBIDDEN');

    const settings = await admin.billing.updateSettings({
      low_balance_threshold: '30',
      billing_contact: 'finance@example.org',
    });
    expect(settings).toMatchObject({
      low_balance_threshold: '30.00',
      billing_contact: 'finance@example.org',
      refuse_when_empty: false,
    });
    expect((await builder.billing.balance()).low).toBe(true);
  });

  it('refuses a rate card CSV with every bad line named', async () => {
    const admin = callerFor(services, (await createMember(db, 'admin')).actor).caller;
    const refused = await errorShape(
      admin.billing.publishRateCard({
        effective_from: '2027-01-01T00:00:00+02:00',
        currency: 'USD',
        source: 'test',
        csv: 'calling_code,market,marketing,utility,authentication,authentication_international,service\n27,South Africa,0.04,x,,,0\nabc,,0.1,0.1,0.1,,0\n',
      }),
    );
    expect(refused.data.fields).toEqual([
      { field: 'line 2', reason: 'utility must be an amount such as 0.0379' },
      { field: 'line 3', reason: 'calling_code must be 1-4 digits or *' },
      { field: 'line 3', reason: 'market is empty' },
    ]);
    const card = await admin.billing.rateCard();
    expect(card.current?.source).toBe(
      'seed: Meta per-message rates of 1 July 2025 (sql/rate-cards/2025-07-01-usd.csv)',
    );
    expect(card.current?.rates.find((r) => r.calling_code === '27' && r.category === 'marketing')).toEqual({
      calling_code: '27',
      market: 'South Africa',
      category: 'marketing',
      rate_micros: 37_900,
      rate: '0.0379',
    });
  });

  it('reports this and last month with each amount as micros and as a decimal string', async () => {
    const analyst = callerFor(services, (await createMember(db, 'analyst')).actor).caller;
    // One template delivered now to a South African number, billed from the log as in production.
    const sent = await db.transaction().execute((tx) =>
      queueMessage(tx, {
        channel: 'whatsapp',
        wa_id: '27821110009',
        source: 'api',
        message: { type: 'template', name: 'visit_reminder', language: 'en' },
      }),
    );
    await db.transaction().execute((tx) =>
      append(tx, [
        {
          type: 'message.status',
          source: 'whatsapp',
          channel: 'whatsapp',
          contact_id: sent.contactId,
          idempotency_key: `status:${sent.messageId}:delivered`,
          payload: {
            message_id: sent.messageId,
            external_id: `wamid.${sent.messageId}`,
            status: 'delivered',
            timestamp: new Date().toISOString(),
            pricing: { pricing_model: 'PMP', billable: true, type: 'regular', category: 'utility' },
          },
        },
      ]),
    );
    await runUntilIdle(db, chargesConsumer());
    const { current, previous } = await analyst.billing.spend();
    expect([current.total, current.total_micros, current.messages]).toEqual(['0.0076', 7_600, 1]);
    expect(current.by_channel).toEqual([
      { channel: 'whatsapp', amount_micros: 7_600, messages: 1, amount: '0.0076' },
    ]);
    expect(current.by_market).toEqual([
      {
        calling_code: '27',
        market: 'South Africa',
        category: 'utility',
        amount_micros: 7_600,
        messages: 1,
        amount: '0.0076',
      },
    ]);
    expect([previous.total, previous.by_day]).toEqual(['0.00', []]);
  });
});
