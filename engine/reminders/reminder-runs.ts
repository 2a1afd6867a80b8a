import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import { recipientCounts } from './reminder-stats.js';

export interface ReminderRunSummary {
  id: string;
  /** The occurrence it serves (a recurring reminder has one run per occurrence). */
  due_at: Date;
  state: 'planning' | 'sending' | 'paused' | 'completed' | 'cancelled' | 'failed';
  paused_reason: string | null;
  resume_at: Date | null;
  started_at: Date;
  completed_at: Date | null;
  targeted: number;
  pending: number;
  skipped: number;
  queued: number;
  /** Accepted by WhatsApp (sent, delivered or read), as the reminder's stats count it. */
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
  cost_micros: number;
}

/** Every run of a reminder, newest first, each with its counts: one grouped query. */
export async function listReminderRuns(db: DbOrTx, reminderId: string): Promise<ReminderRunSummary[]> {
  const rows = await sql<Record<string, string | Date | null>>`
    select u.id::text as id, u.due_at, u.state, u.paused_reason, u.resume_at, u.started_at, u.completed_at,
      ${recipientCounts}
    from reminder_runs u
    left join reminder_recipients r on r.run_id = u.id
    left join messages m on m.id = r.message_id
    left join charges c on c.message_id = r.message_id
    where u.reminder_id = ${reminderId}
    group by u.id order by u.due_at desc, u.id desc`.execute(db);
  const counts = [
    'targeted',
    'pending',
    'skipped',
    'queued',
    'sent',
    'delivered',
    'read',
    'failed',
    'replied',
    'cost_micros',
  ];
  return rows.rows.map(
    (row) =>
      ({
        ...row,
        ...Object.fromEntries(counts.map((key) => [key, Number(row[key])])),
      }) as unknown as ReminderRunSummary,
  );
}

/** Throws not_found unless the run belongs to the reminder (a run id from another reminder included). */
export async function requireReminderRun(db: DbOrTx, reminderId: string, runId: string): Promise<void> {
  const run = await db
    .selectFrom('reminder_runs')
    .select('id')
    .where('id', '=', runId)
    .where('reminder_id', '=', reminderId)
    .executeTakeFirst();
  if (!run) throw new AppError('not_found', `reminder ${reminderId} has no run ${runId}`);
}
