import { type RawBuilder, sql } from 'kysely';

/**
 * Why a run skips a person (contacts aliased `c`), or null to send: erased, blocked, opted out
 * (marketing templates only), nothing to address a message to, got this reminder in the last
 * N days. The run's plan and the estimate share it, so the estimate skips whom the run will.
 */
export function skipReasonSql(options: {
  marketing: boolean;
  /** The reminder whose earlier sends count as recent; null for one not created yet. */
  reminderId: string | null;
  recentDays: number;
}): RawBuilder<string | null> {
  return sql<string | null>`case
    when c.erased_at is not null then 'erased'
    when c.blocked then 'blocked'
    when ${options.marketing} and (c.opt_in = 'opted_out' or c.marketing_opt_in = 'opted_out') then 'opted_out'
    when c.wa_id is null and c.bsuid is null then 'no_identity'
    when ${options.reminderId !== null && options.recentDays > 0} and exists (
      select 1 from reminder_recipients p join reminder_runs pr on pr.id = p.run_id
      join messages pm on pm.id = p.message_id
      where pr.reminder_id = ${options.reminderId ?? '0'}::bigint and p.contact_id = c.id and p.state = 'queued'
        and pm.created_at > now() - make_interval(days => ${options.recentDays})
    ) then 'recently_sent'
  end`;
}
