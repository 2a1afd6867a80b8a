import { describe, expect, it } from 'vitest';
import { ensureSeedRateCard } from '../../../engine/billing/index.js';
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
    expect(
      card.current?.rates.find((r) => r.calling_code === '27' && r.category === 'marketing')?.rate_micros,
    ).toBe(37_900);
  });
});
