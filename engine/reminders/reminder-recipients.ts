import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

/**
 * Per-person outcomes of a reminder's runs, by contact id then run, a page at a time. The
 * cursor (`next_after`) is `contact.run`, so a person with several runs (a recurring reminder)
 * is never cut off between pages; a bare contact id continues after that person.
 */
export async function listReminderRecipients(
  db: DbOrTx,
  reminderId: string,
  page: { after?: string; limit?: number } = {},
) {
  const limit = Math.min(page.limit ?? 200, 1000);
  const [afterContact = '0', afterRun = '9223372036854775807'] = (page.after ?? '0').split('.');
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
    where u.reminder_id = ${reminderId} and (r.contact_id, r.run_id) > (${afterContact}::bigint, ${afterRun}::bigint)
    order by r.contact_id, r.run_id limit ${limit + 1}`.execute(db);
  const data = rows.rows.slice(0, limit);
  const last = data.at(-1);
  return { data, next_after: rows.rows.length > limit && last ? `${last.contact_id}.${last.run_id}` : null };
}
