import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';

/**
 * Closes runs with nobody left to send to. A reminder with no run left open becomes
 * `completed` when nothing more is scheduled (a one-off), else `scheduled` until its next
 * occurrence (a recurring one).
 */
export async function completeRuns(db: Db, now = new Date()): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const done = await sql<{ id: string; reminder_id: string; due_at: Date; targeted: number }>`
      update reminder_runs u set state = 'completed', completed_at = ${now}
      where u.state = 'sending'
        and not exists (select 1 from reminder_recipients r where r.run_id = u.id and r.state = 'pending')
      returning u.id, u.reminder_id, u.due_at, u.targeted`.execute(tx);
    if (done.rows.length === 0) return;
    await append(
      tx,
      done.rows.map((run) => ({
        type: 'reminder.run' as const,
        source: 'engine',
        payload: {
          reminder_id: run.reminder_id,
          run_id: run.id,
          action: 'completed' as const,
          due_at: new Date(run.due_at).toISOString(),
          targeted: run.targeted,
        },
      })),
    );
    const reminders = [...new Set(done.rows.map((r) => r.reminder_id))];
    const finished = await sql<{ id: string; next_run_at: Date | null }>`
      update reminders m set
        state = case when m.next_run_at is null then 'completed' else 'scheduled' end,
        updated_at = ${now}
      where m.id = any(${reminders}::bigint[]) and m.state = 'sending'
        and not exists (select 1 from reminder_runs u where u.reminder_id = m.id and u.state in ('planning', 'sending', 'paused'))
      returning m.id, m.next_run_at`.execute(tx);
    const completed = finished.rows.filter((r) => r.next_run_at === null);
    if (completed.length === 0) return;
    await append(
      tx,
      completed.map((r) => ({
        type: 'reminder.changed' as const,
        source: 'engine',
        payload: {
          reminder_id: r.id,
          action: 'completed' as const,
          by: 'engine',
          reason: null,
          next_run_at: null,
        },
      })),
    );
  });
}
