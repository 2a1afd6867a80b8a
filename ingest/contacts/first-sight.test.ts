import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { firstSight, type Sighting } from './first-sight.js';

const { db } = await createTestDatabase();
const options = { channel: 'whatsapp', source: 'whatsapp', by: 'whatsapp' };
const at = (s: number) => new Date(Date.UTC(2024, 10, 25, 8, 0, s));
const seen = (waId: string, name: string | null, s: number, opens = true): Sighting => ({
  waId,
  name,
  seenAt: at(s),
  inboundAt: opens ? at(s) : null,
});

describe('firstSight', () => {
  it('merges sightings of one person: created once, at the first message, named after the latest', async () => {
    const result = await db.transaction().execute((tx) =>
      firstSight(tx, {
        ...options,
        sightings: [seen('100', 'Old', 1), seen('100', 'New', 3), seen('100', null, 5, false)],
      }),
    );
    const id = result.contactIds[0]!;
    expect(result.events).toEqual([
      {
        type: 'contact.created',
        source: 'whatsapp',
        channel: 'whatsapp',
        contact_id: id,
        occurred_at: at(1),
        idempotency_key: 'contact:100',
        payload: { wa_id: '100', name: 'New', channel: 'whatsapp' },
      },
    ]);
    const row = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ wa_id: '100', name: 'New', last_inbound_at: at(3) });
  });

  it('a sighting without a name keeps the stored name and changes nothing', async () => {
    await firstSight(db, { ...options, sightings: [seen('101', 'Kept', 1)] });
    const before = await db
      .selectFrom('contacts')
      .selectAll()
      .where('wa_id', '=', '101')
      .executeTakeFirstOrThrow();
    const result = await firstSight(db, { ...options, sightings: [seen('101', null, 0)] });
    expect(result.events).toEqual([]);
    expect(
      await db.selectFrom('contacts').selectAll().where('wa_id', '=', '101').executeTakeFirstOrThrow(),
    ).toEqual(before);
  });

  it('a person first seen by two transactions at once gets one row; the second sees the first', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstDone!: () => void;
    const firstInserted = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    const first = db.transaction().execute(async (tx) => {
      const result = await firstSight(tx, { ...options, sightings: [seen('102', 'Ada', 1)] });
      firstDone();
      await gate;
      return result;
    });
    await firstInserted;
    const second = db
      .transaction()
      .execute((tx) => firstSight(tx, { ...options, sightings: [seen('102', 'Ada L', 2)] }));
    // The second insert waits on the first transaction's uncommitted row.
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
      if (rows[0]!.n > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(b.contactIds[0]).toBe(a.contactIds[0]);
    expect(a.events.map((e) => e.type)).toEqual(['contact.created']);
    expect(b.events.map((e) => [e.type, e.payload])).toEqual([
      ['contact.updated', { changes: { name: { from: 'Ada', to: 'Ada L' } }, by: 'whatsapp' }],
    ]);
    const rows = await db
      .selectFrom('contacts')
      .select(['name', 'last_inbound_at'])
      .where('wa_id', '=', '102')
      .execute();
    expect(rows).toEqual([{ name: 'Ada L', last_inbound_at: at(2) }]);
  });

  it('contacts are per channel', async () => {
    const a = await firstSight(db, { ...options, sightings: [seen('103', 'A', 1)] });
    const b = await firstSight(db, { ...options, channel: 'simulator', sightings: [seen('103', 'A', 1)] });
    expect(a.contactIds[0]).not.toBe(b.contactIds[0]);
    expect(b.events.map((e) => [e.type, e.channel])).toEqual([['contact.created', 'simulator']]);
  });
});
