import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

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
  const rows = await sql<Record<string, unknown>>`
    select u.id::text as id, u.due_at, u.state, u.paused_reason, u.resume_at, u.started_at, u.completed_at,
      count(r.contact_id)::int as targeted,
      count(*) filter (where r.state = 'pending')::int as pending,
      count(*) filter (where r.state = 'skipped')::int as skipped,
      count(*) filter (where r.message_id is not null)::int as queued,
      count(*) filter (where m.status in ('sent', 'delivered', 'read'))::int as sent,
      count(*) filter (where r.delivered_at is not null)::int as delivered,
      count(*) filter (where r.read_at is not null)::int as read,
      count(*) filter (where r.state = 'failed')::int as failed,
      count(*) filter (where r.replied_at is not null)::int as replied,
      coalesce(sum(c.amount_micros), 0)::bigint::text as cost_micros
    from reminder_runs u
    left join reminder_recipients r on r.run_id = u.id
    left join messages m on m.id = r.message_id
    left join charges c on c.message_id = r.message_id
    where u.reminder_id = ${reminderId}
    group by u.id order by u.due_at desc, u.id desc`.execute(db);
  return rows.rows.map((row) => ({ ...row, cost_micros: Number(row.cost_micros) }) as ReminderRunSummary);
}
