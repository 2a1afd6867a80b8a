import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import { getReminder } from './reminders-store.js';
import { nextRunAt } from './schedule.js';

/**
 * Starts the runs that are due: claims reminders whose `next_run_at` has come (SKIP LOCKED, so
 * two instances never take the same one), creates the run for that occurrence (unique per
 * reminder and time, so a repeated claim starts nothing new) and moves `next_run_at` to the
 * following occurrence, in one transaction. Returns the runs to plan.
 */
export async function startDueRuns(db: Db, now = new Date(), limit = 20): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const due = await sql<{ id: string; next_run_at: Date }>`
      select id, next_run_at from reminders
      where next_run_at <= ${now} and state in ('scheduled', 'sending')
      order by next_run_at limit ${limit}
      for update skip locked`.execute(tx);
    const runs: string[] = [];
    for (const row of due.rows) {
      const reminder = await getReminder(tx, row.id);
      const dueAt = new Date(row.next_run_at);
      const run = await tx
        .insertInto('reminder_runs')
        .values({ reminder_id: row.id, due_at: dueAt })
        .onConflict((oc) => oc.columns(['reminder_id', 'due_at']).doNothing())
        .returning('id')
        .executeTakeFirst();
      const next = nextRunAt(reminder.schedule, now, dueAt);
      await tx
        .updateTable('reminders')
        .set({ next_run_at: next, state: 'sending', updated_at: now })
        .where('id', '=', row.id)
        .execute();
      if (run) runs.push(run.id);
    }
    // Runs left in planning by a crash are planned again (planning is idempotent).
    const stuck = await tx
      .selectFrom('reminder_runs')
      .select('id')
      .where('state', '=', 'planning')
      .where('id', 'not in', runs.length > 0 ? runs : ['0'])
      .execute();
    return [...runs, ...stuck.map((r) => r.id)];
  });
}

/** A run whose pause had a time to continue (a messaging limit) goes on once that time comes. */
export async function resumeDueRuns(db: Db, now = new Date()): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const resumed = await tx
      .updateTable('reminder_runs')
      .set({ state: 'sending', paused_reason: null, resume_at: null })
      .where('state', '=', 'paused')
      .where('resume_at', '<=', now)
      .returning(['id', 'reminder_id', 'due_at'])
      .execute();
    if (resumed.length === 0) return;
    await append(
      tx,
      resumed.map((run) => ({
        type: 'reminder.run' as const,
        source: 'engine',
        payload: {
          reminder_id: run.reminder_id,
          run_id: run.id,
          action: 'resumed' as const,
          due_at: run.due_at.toISOString(),
        },
      })),
    );
  });
}
