import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

/** Per-person outcomes of a reminder's runs, by contact id, a page at a time. */
export async function listReminderRecipients(
  db: DbOrTx,
  reminderId: string,
  page: { after?: string; limit?: number } = {},
) {
  const limit = Math.min(page.limit ?? 200, 1000);
  const rows = await sql<{
    run_id: string;
    contact_id: string;
    due_at: Date;
    state: 'pending' | 'skipped' | 'queued' | 'failed';
    skip_reason: string | null;
    message_id: string | null;
    message_status: string | null;
    error_code: number | null;
    delivered_at: Date | null;
    read_at: Date | null;
    replied_at: Date | null;
  }>`
    select r.run_id, r.contact_id, r.due_at, r.state, r.skip_reason, r.message_id, m.status as message_status,
      coalesce(r.error_code, m.error_code) as error_code, r.delivered_at, r.read_at, r.replied_at
    from reminder_recipients r join reminder_runs u on u.id = r.run_id left join messages m on m.id = r.message_id
    where u.reminder_id = ${reminderId} and r.contact_id > ${page.after ?? '0'}::bigint
    order by r.contact_id, r.run_id limit ${limit + 1}`.execute(db);
  const data = rows.rows.slice(0, limit);
  return { data, next_after: rows.rows.length > limit ? (data.at(-1)?.contact_id ?? null) : null };
}
