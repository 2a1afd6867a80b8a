import { describe, expect, it } from 'vitest';
import { ensureSeedRateCard } from '../../../engine/billing/index.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';

const { db } = await createTestDatabase();
await ensureSeedRateCard(db);
const services = testServices(db);

async function contact(waId: string, values: { blocked?: boolean } = {}) {
  const row = await db
    .insertInto('contacts')
    .values({ channel: 'whatsapp', wa_id: waId, blocked: values.blocked ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('reminders procedures', () => {
  it('estimates reach, skips and cost by market, then creates and schedules; viewers only read', async () => {
    const builder = callerFor(services, (await createMember(db, 'builder')).actor).caller;
    const viewer = callerFor(services, (await createMember(db, 'viewer')).actor).caller;
    const ids = [
      await contact('27820000001'),
      await contact('27820000002'),
      await contact('254700000003'),
      await contact('27820000004', { blocked: true }),
      // Known by username alone: nothing to address a message to, as the run will find.
      (
        await db
          .insertInto('contacts')
          .values({ channel: 'whatsapp', wa_id: null, username: 'amina.k' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    ];
    // Merged into the first person: not a person any more, so not in the audience (as a run).
    const merged = await db
      .insertInto('contacts')
      .values({ channel: 'whatsapp', wa_id: null, bsuid: 'ZA.77', merged_into: ids[0]! })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(merged.id);
    const definition = {
      name: 'Vaccination day',
      template: { name: 'vaccination_day', language: 'en', category: 'marketing' as const, body: [] },
      audience: { contact_ids: ids },
      schedule: { kind: 'at' as const, at: new Date(Date.now() + 86_400_000).toISOString() },
      options: { skip_recent_days: 0, stop_when_empty: false, journey_on_reply: null },
    };
    const estimate = await viewer.reminders.estimate(definition);
    expect(estimate).toMatchObject({
      targeted: 5,
      reach: 3,
      skipped: { blocked: 1, no_identity: 1 },
      cost_by_market: [
        {
          calling_code: '27',
          market: 'South Africa',
          category: 'marketing',
          people: 2,
          cost_micros: 75_800,
          cost: '0.0758',
        },
        {
          calling_code: '254',
          market: 'Rest of Africa (Kenya)',
          category: 'marketing',
          people: 1,
          cost_micros: 22_500,
          cost: '0.0225',
        },
      ],
      total_micros: 98_300,
      total: '0.0983',
      currency: 'USD',
      available_micros: 0,
      available: '0.00',
      enough: false,
    });
    expect((await errorShape(viewer.reminders.create({ ...definition, schedule_now: true }))).data.code).toBe(
      'FORBIDDEN',
    );
    const created = await builder.reminders.create({ ...definition, schedule_now: true });
    expect(created.state).toBe('scheduled');
    const page = await viewer.reminders.get({ id: created.id });
    expect(page.stats).toMatchObject({ targeted: 0, queued: 0, cost_micros: 0, cost: '0.00' });
    expect(page.timeline).toEqual({ bucket_seconds: 60, points: [] });
    const listed = await viewer.reminders.list();
    expect(listed.map((r) => [r.name, r.state, r.counts])).toEqual([
      ['Vaccination day', 'scheduled', { targeted: 0, queued: 0, delivered: 0 }],
    ]);
    const refused = await errorShape(
      builder.reminders.create({
        ...definition,
        schedule: { kind: 'at', at: '2020-01-01T00:00:00Z' },
        schedule_now: true,
      }),
    );
    expect(refused.data.fields).toEqual([{ field: 'schedule.at', reason: 'is in the past' }]);
  });

  it('finds an uploaded list’s people by phone number; only members who write reminders may', async () => {
    const builder = callerFor(services, (await createMember(db, 'builder')).actor).caller;
    const viewer = callerFor(services, (await createMember(db, 'viewer')).actor).caller;
    const lindiwe = await contact('27820000021');
    const list = { text: '082 000 0021\n27820000099', defaultCountry: 'za' };
    expect(await builder.reminders.findListed(list)).toEqual({
      contact_ids: [lindiwe],
      unknown: [{ entry: '27820000099', reason: 'no person has this phone number' }],
    });
    expect((await errorShape(viewer.reminders.findListed(list))).data.code).toBe('FORBIDDEN');
    const bad = await errorShape(builder.reminders.findListed({ ...list, defaultCountry: 'South Africa' }));
    expect(bad.data.fields).toEqual([
      { field: 'defaultCountry', reason: 'must be a two-letter country code such as ZA' },
    ]);
  });
});
