import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import { runUntilIdle } from '../../test/setup/run-until-idle.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import {
  cancelReminder,
  createReminder,
  createReminderRunner,
  pauseReminder,
  type ReminderInput,
  reminderOutcomesConsumer,
  reminderStats,
  resumeReminder,
  scheduleReminder,
} from './index.js';

const database = await createTestDatabase({ max: 6 });
const { db } = database;
const by = 'user:1';

let n = 0;
async function person(
  values: {
    name?: string | null;
    blocked?: boolean;
    opt_in?: 'opted_out';
    timezone?: string;
    fields?: object;
  } = {},
) {
  n += 1;
  const row = await db
    .insertInto('contacts')
    .values({
      channel: 'whatsapp',
      wa_id: String(27_830_000_000 + n),
      name: values.name ?? null,
      blocked: values.blocked ?? false,
      opt_in: values.opt_in ?? 'unknown',
      timezone: values.timezone ?? null,
      fields: JSON.stringify(values.fields ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function reminderTo(contactIds: string[], extra: Partial<ReminderInput> = {}): ReminderInput {
  return {
    name: 'Clinic visit',
    template: {
      name: 'clinic_visit',
      language: 'en',
      category: 'utility',
      body: [
        { source: { from: 'name', fallback: 'there' } },
        { source: { from: 'field', key: 'clinic', fallback: 'your clinic' } },
      ],
    },
    audience: { contact_ids: contactIds },
    schedule: { kind: 'now' },
    options: {},
    ...extra,
  } as ReminderInput;
}

async function createScheduled(input: ReminderInput, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const created = await createReminder(tx, input, by);
    return scheduleReminder(tx, created.id, by, now);
  });
}

async function queuedBodies(reminderId: string) {
  const rows = await sql<{
    contact_id: string;
    body: { template: { components?: { parameters: { text: string }[] }[] } };
  }>`
    select m.contact_id, o.body from reminder_recipients r
    join reminder_runs u on u.id = r.run_id join outbox o on o.message_id = r.message_id
    join messages m on m.id = r.message_id
    where u.reminder_id = ${reminderId} order by m.contact_id`.execute(db);
  return rows.rows.map((r) => ({
    contact_id: r.contact_id,
    params: r.body.template.components?.[0]?.parameters.map((p) => p.text),
  }));
}

describe('reminders', () => {
  it('sends the template once to each reachable person, with their values or the fallbacks, and says why others were skipped', async () => {
    const thandi = await person({ name: 'Thandi', fields: { clinic: 'Soweto' } });
    const anonymous = await person();
    const blocked = await person({ name: 'B', blocked: true });
    const optedOut = await person({ name: 'O', opt_in: 'opted_out' });
    const reminder = await createScheduled(reminderTo([thandi, anonymous, blocked, optedOut]));
    const runner = createReminderRunner({ db, messagingLimit: null });
    await runner.tick();
    await runner.tick();
    // A utility template goes to people who opted out of marketing; the blocked person is skipped.
    expect(await queuedBodies(reminder.id)).toEqual([
      { contact_id: thandi, params: ['Thandi', 'Soweto'] },
      { contact_id: anonymous, params: ['there', 'your clinic'] },
      { contact_id: optedOut, params: ['O', 'your clinic'] },
    ]);
    const stats = await reminderStats(db, reminder.id);
    expect(stats).toMatchObject({
      targeted: 4,
      skipped: 1,
      skipped_by_reason: { blocked: 1 },
      queued: 3,
      pending: 0,
    });
    const state = await db
      .selectFrom('reminders')
      .select(['state', 'next_run_at'])
      .where('id', '=', reminder.id)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ state: 'completed', next_run_at: null });
    const sends = await sql<{ outcome: string; n: string }>`
      select payload->>'outcome' as outcome, count(*)::text as n from events
      where type = 'reminder.send' and payload->>'reminder_id' = ${reminder.id} group by 1 order by 1`.execute(
      db,
    );
    expect(sends.rows).toEqual([
      { outcome: 'queued', n: '3' },
      { outcome: 'skipped', n: '1' },
    ]);
  });

  it('skips people who opted out of marketing for a marketing template', async () => {
    const optedOut = await person({ opt_in: 'opted_out' });
    const fine = await person();
    const input = reminderTo([optedOut, fine]);
    const reminder = await createScheduled({
      ...input,
      template: { ...input.template, category: 'marketing' },
    });
    await createReminderRunner({ db, messagingLimit: null }).tick();
    expect(await reminderStats(db, reminder.id)).toMatchObject({
      targeted: 2,
      queued: 1,
      skipped_by_reason: { opted_out: 1 },
    });
  });

  it('never queues a person twice with two instances sending at once', async () => {
    const people = [];
    for (let i = 0; i < 600; i++) people.push(await person({ name: `P${i}` }));
    const reminder = await createScheduled(reminderTo(people));
    // A second instance: its own pool of connections to the same database.
    const other = createDatabase(database.url, { max: 4 });
    const a = createReminderRunner({ db, messagingLimit: null, batchSize: 50 });
    const b = createReminderRunner({ db: other.db, messagingLimit: null, batchSize: 50 });
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    await other.close();
    const counted = await sql<{ messages: string; people: string }>`
      select count(*)::text as messages, count(distinct m.contact_id)::text as people
      from messages m where m.id in (select r.message_id from reminder_recipients r join reminder_runs u on u.id = r.run_id where u.reminder_id = ${reminder.id})`.execute(
      db,
    );
    expect(counted.rows[0]).toEqual({ messages: '600', people: '600' });
    const outbox = await sql<{ n: string }>`
      select count(*)::text as n from outbox o join messages m on m.id = o.message_id
      where m.contact_id = any(${people}::bigint[])`.execute(db);
    expect(outbox.rows[0]?.n).toBe('600');
  });

  it('pauses at the messaging limit with the time it can go on, and goes on then', async () => {
    const people = [await person(), await person(), await person()];
    const reminder = await createScheduled(reminderTo(people));
    const templatesBefore = await sql<{ n: string }>`
      select count(distinct contact_id)::text as n from messages where direction = 'outbound' and kind = 'template'
        and created_at > now() - interval '24 hours'`.execute(db);
    const limit = Number(templatesBefore.rows[0]!.n) + 2;
    const runner = createReminderRunner({ db, messagingLimit: limit });
    await runner.tick();
    expect((await reminderStats(db, reminder.id)).queued).toBe(2);
    const run = await db
      .selectFrom('reminder_runs')
      .select(['state', 'paused_reason', 'resume_at'])
      .where('reminder_id', '=', reminder.id)
      .executeTakeFirstOrThrow();
    expect(run.state).toBe('paused');
    expect(run.paused_reason).toBe(`messaging limit reached: ${limit} people in 24 hours`);
    expect(run.resume_at!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    await runner.tick(new Date(run.resume_at!.getTime() + 1000));
    expect(await reminderStats(db, reminder.id)).toMatchObject({ queued: 3, pending: 0 });
  });

  it("sends a local-time reminder as each person's timezone reaches the time", async () => {
    const nairobi = await person({ timezone: 'Africa/Nairobi' });
    const london = await person({ timezone: 'Europe/London' });
    const now = new Date('2027-03-27T00:00:00Z');
    const reminder = await createScheduled(
      reminderTo([nairobi, london], { schedule: { kind: 'local', date: '2027-03-28', time: '01:30' } }),
      now,
    );
    const runner = createReminderRunner({ db, messagingLimit: null });
    await runner.tick(new Date('2027-03-27T12:00:00Z'));
    expect((await reminderStats(db, reminder.id)).queued).toBe(0);
    // 01:30 in Nairobi is 22:30 UTC the day before; London skips 01:30 that night: sent at 01:00 UTC.
    await runner.tick(new Date('2027-03-27T22:30:00Z'));
    expect(await queuedBodies(reminder.id)).toEqual([
      { contact_id: nairobi, params: ['there', 'your clinic'] },
    ]);
    await runner.tick(new Date('2027-03-28T00:59:00Z'));
    expect((await reminderStats(db, reminder.id)).queued).toBe(1);
    await runner.tick(new Date('2027-03-28T01:00:00Z'));
    expect(await reminderStats(db, reminder.id)).toMatchObject({ queued: 2, pending: 0 });
  });

  it('runs a cron reminder at each occurrence once, and is scheduled again between them', async () => {
    const someone = await person();
    const now = new Date('2027-01-04T06:00:00Z');
    const reminder = await createScheduled(
      reminderTo([someone], {
        schedule: { kind: 'cron', expression: '0 9 * * 1', timezone: 'Africa/Johannesburg' },
      }),
      now,
    );
    expect(reminder.next_run_at?.toISOString()).toBe('2027-01-04T07:00:00.000Z');
    const runner = createReminderRunner({ db, messagingLimit: null });
    await runner.tick(new Date('2027-01-04T07:00:01Z'));
    await runner.tick(new Date('2027-01-04T07:00:02Z'));
    const after = await db
      .selectFrom('reminders')
      .select(['state', 'next_run_at'])
      .where('id', '=', reminder.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ state: 'scheduled', next_run_at: new Date('2027-01-11T07:00:00Z') });
    await runner.tick(new Date('2027-01-11T07:00:00Z'));
    const runs = await db
      .selectFrom('reminder_runs')
      .select(['due_at', 'state'])
      .where('reminder_id', '=', reminder.id)
      .orderBy('due_at')
      .execute();
    expect(runs).toEqual([
      { due_at: new Date('2027-01-04T07:00:00Z'), state: 'completed' },
      { due_at: new Date('2027-01-11T07:00:00Z'), state: 'completed' },
    ]);
  });

  it('pauses, resumes and cancels, each logged with who did it', async () => {
    const a = await person();
    const future = new Date(Date.now() + 3600_000).toISOString();
    const reminder = await createScheduled(reminderTo([a], { schedule: { kind: 'at', at: future } }));
    await db
      .transaction()
      .execute((tx) => pauseReminder(tx, reminder.id, 'user:2', 'waiting for the clinic'));
    await db.transaction().execute((tx) => resumeReminder(tx, reminder.id, 'user:3'));
    await db.transaction().execute((tx) => cancelReminder(tx, reminder.id, 'user:4'));
    await expect(db.transaction().execute((tx) => resumeReminder(tx, reminder.id, 'user:5'))).rejects.toThrow(
      `reminder ${reminder.id} is cancelled, not paused`,
    );
    const log = await sql<{ action: string; by: string; reason: string | null }>`
      select payload->>'action' as action, payload->>'by' as by, payload->>'reason' as reason from events
      where type = 'reminder.changed' and payload->>'reminder_id' = ${reminder.id} order by id`.execute(db);
    expect(log.rows).toEqual([
      { action: 'created', by, reason: null },
      { action: 'scheduled', by, reason: null },
      { action: 'paused', by: 'user:2', reason: 'waiting for the clinic' },
      { action: 'resumed', by: 'user:3', reason: null },
      { action: 'cancelled', by: 'user:4', reason: null },
    ]);
  });

  it('records delivered, read, failed by code and replies as per-person outcomes', async () => {
    const people = [await person(), await person(), await person()];
    const reminder = await createScheduled({
      ...reminderTo(people),
      options: { skip_recent_days: 0, stop_when_empty: false, journey_on_reply: '9' },
    } as ReminderInput);
    await createReminderRunner({ db, messagingLimit: null }).tick();
    const sent = await db
      .selectFrom('reminder_recipients')
      .innerJoin('reminder_runs', 'reminder_runs.id', 'reminder_recipients.run_id')
      .select(['reminder_recipients.contact_id', 'reminder_recipients.message_id'])
      .where('reminder_runs.reminder_id', '=', reminder.id)
      .orderBy('reminder_recipients.contact_id')
      .execute();
    const at = new Date().toISOString();
    const status = (i: number, state: string, extra: object = {}) => ({
      type: 'message.status' as const,
      source: 'whatsapp',
      contact_id: sent[i]!.contact_id,
      payload: {
        message_id: sent[i]!.message_id!,
        external_id: `wamid.r${i}`,
        status: state,
        timestamp: at,
        ...extra,
      },
    });
    await append(db, [
      status(0, 'delivered'),
      status(0, 'read'),
      status(1, 'read'),
      status(2, 'failed', { errors: [{ code: 131049, title: 'per-user marketing limit' }] }),
      {
        type: 'message.received',
        source: 'whatsapp',
        channel: 'whatsapp',
        contact_id: sent[1]!.contact_id,
        payload: {
          message_id: '999999',
          external_id: 'wamid.reply',
          wa_id: '1',
          message_type: 'button',
          timestamp: at,
          raw: {},
        },
      },
    ]);
    await runUntilIdle(db, reminderOutcomesConsumer());
    expect(await reminderStats(db, reminder.id)).toMatchObject({
      targeted: 3,
      delivered: 2,
      read: 2,
      failed: 1,
      failed_by_code: { '131049': 1 },
      replied: 1,
      journey_started: 1,
    });
    const replied = await sql<{ journey_id: string; run_id: string }>`
      select payload->>'journey_id' as journey_id, payload->>'run_id' as run_id from events where type = 'reminder.replied'`.execute(
      db,
    );
    expect(replied.rows.map((r) => r.journey_id)).toEqual(['9']);
  });
});
