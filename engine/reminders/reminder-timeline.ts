import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';

export interface ReminderTimeline {
  /** The width of each point's bucket, chosen so a reminder's whole history fits in about 60 points. */
  bucket_seconds: number;
  /** Running totals at the end of each bucket: messages queued, delivered, read and failed by then. */
  points: { at: string; queued: number; delivered: number; read: number; failed: number }[];
}

const bucketWidths = [60, 300, 900, 3600, 6 * 3600, 86_400, 7 * 86_400];
const maxPoints = 60;

/**
 * Delivery over time for a reminder's page: cumulative counts of its messages queued,
 * delivered, read and failed, in buckets counted by Postgres (a run of 100,000 people is a
 * few dozen rows here, never a row per person).
 */
export async function reminderTimeline(db: DbOrTx, reminderId: string): Promise<ReminderTimeline> {
  const moments = sql`
    select 'queued' as kind, m.created_at as at from reminder_recipients r
      join reminder_runs u on u.id = r.run_id join messages m on m.id = r.message_id
      where u.reminder_id = ${reminderId}
    union all
    select 'delivered', r.delivered_at from reminder_recipients r join reminder_runs u on u.id = r.run_id
      where u.reminder_id = ${reminderId} and r.delivered_at is not null
    union all
    select 'read', r.read_at from reminder_recipients r join reminder_runs u on u.id = r.run_id
      where u.reminder_id = ${reminderId} and r.read_at is not null
    union all
    select 'failed', coalesce(m.status_at, r.due_at) from reminder_recipients r
      join reminder_runs u on u.id = r.run_id left join messages m on m.id = r.message_id
      where u.reminder_id = ${reminderId} and r.state = 'failed'`;
  const span = await sql<{ first: Date | null; last: Date | null }>`
    select min(at) as first, max(at) as last from (${moments}) t`.execute(db);
  const { first, last } = span.rows[0] ?? { first: null, last: null };
  if (!first || !last) return { bucket_seconds: bucketWidths[0]!, points: [] };
  const seconds = (last.getTime() - first.getTime()) / 1000;
  const width = bucketWidths.find((w) => seconds / w < maxPoints) ?? bucketWidths.at(-1)!;
  const origin = new Date(Math.floor(first.getTime() / (width * 1000)) * width * 1000);
  const counted = await sql<{ bucket: Date; kind: string; n: string }>`
    select date_bin(make_interval(secs => ${width}), at, ${origin}::timestamptz) as bucket, kind, count(*)::text as n
    from (${moments}) t group by 1, 2 order by 1`.execute(db);
  const totals = { queued: 0, delivered: 0, read: 0, failed: 0 };
  const byBucket = new Map<number, Record<string, number>>();
  for (const row of counted.rows) {
    const key = row.bucket.getTime();
    const counts = byBucket.get(key) ?? {};
    counts[row.kind] = Number(row.n);
    byBucket.set(key, counts);
  }
  const points: ReminderTimeline['points'] = [];
  // Every bucket from the first to the last, empty ones too, so the chart's time axis is even.
  for (let t = origin.getTime(); t <= last.getTime(); t += width * 1000) {
    const counts = byBucket.get(t) ?? {};
    for (const kind of ['queued', 'delivered', 'read', 'failed'] as const) totals[kind] += counts[kind] ?? 0;
    points.push({ at: new Date(t + width * 1000).toISOString(), ...totals });
  }
  return { bucket_seconds: width, points };
}
