import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import { derivedTimezone } from '../people/index.js';
import { type SnapshotWarehouse, snapshotSegment } from '../segments/index.js';
import { getReminder, type Reminder } from './reminders-store.js';
import { localSendTime } from './schedule.js';
import { skipReasonSql } from './skip-reason.js';

/**
 * Turns a started run into its recipients. The audience is taken first, outside any
 * transaction (a segment snapshot waits for the warehouse to catch up with the log, so that a
 * person added just before the send is in it); then one transaction locks the run and, if it is
 * still being planned, writes every recipient with its send time and any reason to skip them.
 * A second instance planning the same run finds it planned and stops: its snapshot is unused.
 */
export async function planRun(
  db: Db,
  warehouse: SnapshotWarehouse | undefined,
  runId: string,
): Promise<void> {
  const run = await db
    .selectFrom('reminder_runs')
    .selectAll()
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  if (run.state !== 'planning') return;
  const reminder = await getReminder(db, run.reminder_id);
  const audience = await audienceOf(db, warehouse, reminder);
  await db.transaction().execute(async (tx) => {
    const locked = await tx
      .selectFrom('reminder_runs')
      .select('state')
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.state !== 'planning') return;
    const dueAt = await sendTimes(tx, reminder, audience.contactIds, run.due_at);
    await insertRecipients(tx, reminder, runId, dueAt);
    const targeted = await tx
      .selectFrom('reminder_recipients')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('reminder_runs')
      .set({ state: 'sending', targeted: Number(targeted.n), snapshot_id: audience.snapshotId })
      .where('id', '=', runId)
      .execute();
    await logSkips(tx, reminder.id, runId);
    await append(tx, [
      {
        type: 'reminder.run',
        source: 'engine',
        payload: {
          reminder_id: reminder.id,
          run_id: runId,
          action: 'started',
          due_at: run.due_at.toISOString(),
          targeted: Number(targeted.n),
        },
      },
    ]);
  });
}

async function audienceOf(db: Db, warehouse: SnapshotWarehouse | undefined, reminder: Reminder) {
  if ('contact_ids' in reminder.audience)
    return { contactIds: reminder.audience.contact_ids, snapshotId: null };
  if (!warehouse) throw new Error('reminders to a segment need the warehouse');
  const snapshot = await snapshotSegment(
    db,
    warehouse,
    reminder.audience.segment_id,
    `reminder:${reminder.id}`,
  );
  const members = await db
    .selectFrom('segment_snapshot_members')
    .select('contact_id')
    .where('snapshot_id', '=', snapshot.id)
    .execute();
  return { contactIds: members.map((m) => String(m.contact_id)), snapshotId: snapshot.id };
}

/**
 * Each person's send time: the run's time, or for a local-time reminder the wall time in the
 * person's timezone (their own setting, else their number's country, else UTC).
 */
async function sendTimes(tx: Tx, reminder: Reminder, contactIds: readonly string[], runDueAt: Date) {
  const times = new Map<string, Date>();
  if (reminder.schedule.kind !== 'local') {
    for (const id of contactIds) times.set(id, runDueAt);
    return times;
  }
  const schedule = reminder.schedule;
  const byZone = new Map<string, Date>();
  for (let i = 0; i < contactIds.length; i += 50_000) {
    const rows = await tx
      .selectFrom('contacts')
      .select(['id', 'timezone', 'wa_id'])
      .where('id', 'in', contactIds.slice(i, i + 50_000))
      .execute();
    for (const row of rows) {
      const zone = row.timezone ?? (row.wa_id ? derivedTimezone(row.wa_id) : 'UTC');
      let at = byZone.get(zone);
      if (!at) {
        at = localSendTime(schedule, zone);
        byZone.set(zone, at);
      }
      times.set(row.id, at);
    }
  }
  return times;
}

/** One row per person who still exists (merged people are not), with the reason to skip them (skip-reason.ts). */
async function insertRecipients(tx: Tx, reminder: Reminder, runId: string, dueAt: Map<string, Date>) {
  const ids = [...dueAt.keys()];
  const marketing = reminder.template.category === 'marketing';
  const recentDays = reminder.options.skip_recent_days;
  for (let i = 0; i < ids.length; i += 50_000) {
    const slice = ids.slice(i, i + 50_000);
    const times = slice.map((id) => dueAt.get(id)!.toISOString());
    await sql`
      insert into reminder_recipients (run_id, contact_id, due_at, state, skip_reason)
      select ${runId}::bigint, c.id, m.due_at,
        case when reason is null then 'pending' else 'skipped' end, reason
      from unnest(${slice}::bigint[], ${times}::timestamptz[]) as m(contact_id, due_at)
      join contacts c on c.id = m.contact_id and c.merged_into is null
      cross join lateral (select ${skipReasonSql({ marketing, reminderId: reminder.id, recentDays })} as reason) r
      on conflict (run_id, contact_id) do nothing`.execute(tx);
  }
}

async function logSkips(tx: Tx, reminderId: string, runId: string) {
  const skipped = await tx
    .selectFrom('reminder_recipients')
    .select(['contact_id', 'skip_reason'])
    .where('run_id', '=', runId)
    .where('state', '=', 'skipped')
    .execute();
  for (let i = 0; i < skipped.length; i += 5000) {
    await append(
      tx,
      skipped.slice(i, i + 5000).map((row) => ({
        type: 'reminder.send' as const,
        source: 'engine',
        contact_id: row.contact_id,
        idempotency_key: `reminder-send:${runId}:${row.contact_id}`,
        payload: {
          reminder_id: reminderId,
          run_id: runId,
          outcome: 'skipped' as const,
          skip_reason: row.skip_reason,
          message_id: null,
        },
      })),
    );
  }
}
