import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import {
  createReminder,
  createReminderRunner,
  findListedPeople,
  listReminderRecipients,
  listReminderRuns,
  reminderTimeline,
  scheduleReminder,
} from './index.js';

// What a reminder's pages read besides its stats: an uploaded list resolved to people, and
// delivery over time counted in buckets.
const { db } = await createTestDatabase({ max: 4 });

async function person(waId: string | null, bsuid: string | null = null, erased = false) {
  const row = await db
    .insertInto('contacts')
    .values({
      channel: 'whatsapp',
      wa_id: waId,
      bsuid,
      erased_at: erased ? new Date() : null,
      fields: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('an uploaded list', () => {
  it('finds people by phone (international or national) and by BSUID, once each, and names the rest', async () => {
    const thandi = await person('27821110001');
    const sipho = await person('27821110002');
    const amara = await person(null, 'NG.8812345');
    await person('27821110004', null, true);
    const listed = await findListedPeople(
      db,
      '+27 82 111 0001\n082 111 0002, NG.8812345\n27821110001\n27821110009\nnot a number\n27821110004\n\n',
      'ZA',
    );
    expect(listed).toEqual({
      contact_ids: [thandi, sipho, amara],
      unknown: [
        {
          entry: 'not a number',
          reason:
            'neither a phone number nor a BSUID: invalid phone number "not a number" (read with default country ZA)',
        },
        { entry: '27821110009', reason: 'no person has this phone number' },
        { entry: '27821110004', reason: 'no person has this phone number' },
      ],
    });
  });
});

describe('delivery over time', () => {
  it('counts queued, delivered, read and failed as running totals in even buckets', async () => {
    const people = [await person('27821120001'), await person('27821120002'), await person('27821120003')];
    const reminder = await db.transaction().execute(async (tx) => {
      const created = await createReminder(
        tx,
        {
          name: 'Timeline',
          template: { name: 'clinic_visit', language: 'en', category: 'utility', body: [] },
          audience: { contact_ids: people },
          schedule: { kind: 'now' },
          options: {},
        },
        'user:1',
      );
      return scheduleReminder(tx, created.id, 'user:1');
    });
    expect(await reminderTimeline(db, reminder.id)).toEqual({ bucket_seconds: 60, points: [] });
    await createReminderRunner({ db, messagingLimit: null }).tick();
    // Fixed moments over 25 minutes: queued at 10:00, delivered at 10:03 and 10:12, read at
    // 10:24, one failed at 10:07.
    const t = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute, 30));
    await sql`update messages set created_at = ${t(0)} where id in (
      select r.message_id from reminder_recipients r join reminder_runs u on u.id = r.run_id where u.reminder_id = ${reminder.id})`.execute(
      db,
    );
    const set = (contactId: string, column: 'delivered_at' | 'read_at', at: Date) =>
      sql`update reminder_recipients set ${sql.ref(column)} = ${at} where contact_id = ${contactId}`.execute(
        db,
      );
    await set(people[0]!, 'delivered_at', t(3));
    await set(people[0]!, 'read_at', t(24));
    await set(people[1]!, 'delivered_at', t(12));
    await sql`update reminder_recipients set state = 'failed' where contact_id = ${people[2]!}`.execute(db);
    await sql`update messages set status = 'failed', status_at = ${t(7)} where contact_id = ${people[2]!}`.execute(
      db,
    );
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute)).toISOString();
    const timeline = await reminderTimeline(db, reminder.id);
    // 25 minutes in minute buckets (fewer than 60 points), each point the totals at its end;
    // every minute is there, so the chart's time axis is even.
    expect(timeline.bucket_seconds).toBe(60);
    expect(timeline.points.map((p) => p.at)).toEqual(Array.from({ length: 25 }, (_, i) => at(i + 1)));
    const changes = timeline.points.filter(
      (p, i) =>
        i === 0 || JSON.stringify({ ...p, at: '' }) !== JSON.stringify({ ...timeline.points[i - 1], at: '' }),
    );
    expect(changes).toEqual([
      { at: at(1), queued: 3, delivered: 0, read: 0, failed: 0 },
      { at: at(4), queued: 3, delivered: 1, read: 0, failed: 0 },
      { at: at(8), queued: 3, delivered: 1, read: 0, failed: 1 },
      { at: at(13), queued: 3, delivered: 2, read: 0, failed: 1 },
      { at: at(25), queued: 3, delivered: 2, read: 1, failed: 1 },
    ]);
  });
});

describe('per-person outcomes, a page at a time', () => {
  it('never cuts a person with several runs off between pages', async () => {
    const people = [await person('27821130001'), await person('27821130002')];
    const reminder = await db.transaction().execute((tx) =>
      createReminder(
        tx,
        {
          name: 'Weekly',
          template: { name: 'clinic_visit', language: 'en', category: 'utility', body: [] },
          audience: { contact_ids: people },
          schedule: { kind: 'cron', expression: '0 9 * * 1', timezone: 'UTC' },
          options: {},
        },
        'user:1',
      ),
    );
    // Two weekly runs, each with both people, as the runner leaves them (pending here).
    const runs: string[] = [];
    for (const due of ['2026-11-23T09:00:00Z', '2026-11-30T09:00:00Z']) {
      const run = await db
        .insertInto('reminder_runs')
        .values({ reminder_id: reminder.id, due_at: new Date(due), state: 'sending', targeted: 2 })
        .returning('id')
        .executeTakeFirstOrThrow();
      runs.push(run.id);
      await db
        .insertInto('reminder_recipients')
        .values(people.map((contact_id) => ({ run_id: run.id, contact_id, due_at: new Date(due) })))
        .execute();
    }
    const key = (r: { contact_id: string; run_id: string }) => `${r.contact_id}.${r.run_id}`;
    const first = await listReminderRecipients(db, reminder.id, { limit: 3 });
    expect(first.data.map(key)).toEqual([
      `${people[0]}.${runs[0]}`,
      `${people[0]}.${runs[1]}`,
      `${people[1]}.${runs[0]}`,
    ]);
    expect(first.next_after).toBe(`${people[1]}.${runs[0]}`);
    const second = await listReminderRecipients(db, reminder.id, { limit: 3, after: first.next_after! });
    expect(second).toMatchObject({ next_after: null });
    expect(second.data.map(key)).toEqual([`${people[1]}.${runs[1]}`]);
    // Each run with its counts, newest first; one person of the later run already skipped.
    await db
      .updateTable('reminder_recipients')
      .set({ state: 'skipped', skip_reason: 'blocked' })
      .where('run_id', '=', runs[1]!)
      .where('contact_id', '=', people[1]!)
      .execute();
    const summaries = await listReminderRuns(db, reminder.id);
    expect(
      summaries.map((r) => [
        r.id,
        r.due_at.toISOString(),
        r.state,
        r.targeted,
        r.pending,
        r.skipped,
        r.queued,
        r.cost_micros,
      ]),
    ).toEqual([
      [runs[1], '2026-11-30T09:00:00.000Z', 'sending', 2, 1, 1, 0, 0],
      [runs[0], '2026-11-23T09:00:00.000Z', 'sending', 2, 2, 0, 0, 0],
    ]);
    // A bare contact id continues after that person's every run.
    const after = await listReminderRecipients(db, reminder.id, { after: people[0] });
    expect(after.data.map(key)).toEqual([`${people[1]}.${runs[0]}`, `${people[1]}.${runs[1]}`]);
  });
});
