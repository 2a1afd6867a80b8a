import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

export interface ReminderStats {
  run_id: string | null;
  targeted: number;
  skipped: number;
  skipped_by_reason: Record<string, number>;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  failed_by_code: Record<string, number>;
  replied: number;
  /** Replies to a reminder that names a journey to start (the journeys engine starts it). */
  journey_started: number;
  cost_micros: number;
  /** Still to send (a local-time run sends as each timezone reaches the time). */
  pending: number;
}

/**
 * What happened to a set of recipients (`r`, with their message `m` and its charge `c`
 * joined), as text columns: the stats of a reminder or of one run, and each row of the runs'
 * table, count the same way.
 */
export const recipientCounts = sql`count(r.contact_id)::text as targeted,
      count(*) filter (where r.state = 'pending')::text as pending,
      count(*) filter (where r.state = 'skipped')::text as skipped,
      count(*) filter (where r.message_id is not null)::text as queued,
      count(*) filter (where m.status in ('sent', 'delivered', 'read'))::text as sent,
      count(*) filter (where r.delivered_at is not null)::text as delivered,
      count(*) filter (where r.read_at is not null)::text as read,
      count(*) filter (where r.state = 'failed')::text as failed,
      count(*) filter (where r.replied_at is not null)::text as replied,
      coalesce(sum(c.amount_micros), 0)::text as cost_micros`;

/** Counts for one run, or for every run of a reminder (`runId` null): the page's stats and progress bar. */
export async function reminderStats(
  db: DbOrTx,
  reminderId: string,
  runId: string | null = null,
): Promise<ReminderStats> {
  const scope =
    runId === null
      ? sql`u.reminder_id = ${reminderId}`
      : sql`u.id = ${runId} and u.reminder_id = ${reminderId}`;
  const totals = await sql<Record<string, string>>`
    select ${recipientCounts},
      count(*) filter (where r.replied_at is not null and x.options->>'journey_on_reply' is not null)::text as journey_started
    from reminder_recipients r
    join reminder_runs u on u.id = r.run_id
    join reminders x on x.id = u.reminder_id
    left join messages m on m.id = r.message_id
    left join charges c on c.message_id = r.message_id
    where ${scope}`.execute(db);
  const reasons = await sql<{ key: string; n: string }>`
    select r.skip_reason as key, count(*)::text as n from reminder_recipients r join reminder_runs u on u.id = r.run_id
    where ${scope} and r.state = 'skipped' group by 1 order by 1`.execute(db);
  const codes = await sql<{ key: string; n: string }>`
    select coalesce(r.error_code, 0)::text as key, count(*)::text as n from reminder_recipients r join reminder_runs u on u.id = r.run_id
    where ${scope} and r.state = 'failed' group by 1 order by 1`.execute(db);
  const t = totals.rows[0] ?? {};
  const n = (key: string) => Number(t[key] ?? 0);
  const counts = (rows: { key: string; n: string }[]) =>
    Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
  return {
    run_id: runId,
    targeted: n('targeted'),
    skipped: n('skipped'),
    skipped_by_reason: counts(reasons.rows),
    queued: n('queued'),
    sent: n('sent'),
    delivered: n('delivered'),
    read: n('read'),
    failed: n('failed'),
    failed_by_code: counts(codes.rows),
    replied: n('replied'),
    journey_started: n('journey_started'),
    cost_micros: n('cost_micros'),
    pending: n('pending'),
  };
}

/** The list page's counts for many reminders in one query: targeted, queued and delivered over all runs. */
export async function reminderListCounts(
  db: DbOrTx,
  reminderIds: string[],
): Promise<Map<string, { targeted: number; queued: number; delivered: number }>> {
  if (reminderIds.length === 0) return new Map();
  const rows = await sql<{ reminder_id: string; targeted: string; queued: string; delivered: string }>`
    select u.reminder_id, count(*)::text as targeted,
      count(*) filter (where r.message_id is not null)::text as queued,
      count(*) filter (where r.delivered_at is not null)::text as delivered
    from reminder_recipients r join reminder_runs u on u.id = r.run_id
    where u.reminder_id = any(${reminderIds}::bigint[]) group by 1`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      String(r.reminder_id),
      { targeted: Number(r.targeted), queued: Number(r.queued), delivered: Number(r.delivered) },
    ]),
  );
}
