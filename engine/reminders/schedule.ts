import { Cron } from 'croner';
import { AppError } from '../../core/errors.js';
import type { Schedule } from './reminder.schema.js';
import { isTimeZone, zonedTimeToUtc } from './zoned-time.js';

/** A local-time reminder is planned this long before the first timezone reaches its time. */
export const LOCAL_PLANNING_LEAD_MS = 3600_000;
/** The earliest timezone on Earth is UTC+14 (Pacific/Kiritimati). */
const EARLIEST_OFFSET_MS = 14 * 3600_000;

/**
 * When a reminder's next run is due, after its last run's occurrence (`lastDueAt`, null before
 * the first). `now` and `at` run once; `cron` at each occurrence in its timezone (croner, which
 * sends a time that a daylight-saving jump skips at the jump, and a time that happens twice
 * once); `local` once, planned an hour before the earliest timezone reaches the wall time (each
 * person's own send time is `localSendTime`). Null: nothing more to run.
 * node-cron only computes times here: the truth is the `next_run_at` row in Postgres.
 */
export function nextRunAt(schedule: Schedule, now: Date, lastDueAt: Date | null): Date | null {
  switch (schedule.kind) {
    case 'now':
      return lastDueAt ? null : now;
    case 'at':
      return lastDueAt ? null : new Date(schedule.at);
    case 'cron': {
      const after = lastDueAt && lastDueAt > now ? lastDueAt : now;
      return cronOf(schedule).nextRun(after) ?? null;
    }
    case 'local': {
      if (lastDueAt) return null;
      const wallAsUtc = Date.parse(`${schedule.date}T${schedule.time}:00Z`);
      return new Date(wallAsUtc - EARLIEST_OFFSET_MS - LOCAL_PLANNING_LEAD_MS);
    }
  }
}

/** A person's own send time for a local-time reminder: the wall time in their timezone. */
export function localSendTime(schedule: Extract<Schedule, { kind: 'local' }>, timeZone: string): Date {
  return zonedTimeToUtc(schedule.date, schedule.time, timeZone);
}

/** The next `count` occurrences of a cron schedule after `after` (the review step shows them). */
export function upcomingRuns(
  schedule: Extract<Schedule, { kind: 'cron' }>,
  after: Date,
  count: number,
): Date[] {
  return cronOf(schedule).nextRuns(count, after);
}

/**
 * Refuses a schedule that cannot run: an unknown timezone, a cron expression croner cannot read
 * or that never fires, a time already past (with a minute of grace for the form's round trip).
 */
export function checkSchedule(schedule: Schedule, now: Date): void {
  const refuse = (field: string, reason: string) => {
    throw new AppError('validation_failed', `schedule.${field} ${reason}`, [
      { field: `schedule.${field}`, reason },
    ]);
  };
  if (schedule.kind === 'at' && Date.parse(schedule.at) < now.getTime() - 60_000)
    refuse('at', 'is in the past');
  if (schedule.kind === 'cron') {
    if (!isTimeZone(schedule.timezone)) refuse('timezone', 'is not an IANA timezone such as Africa/Nairobi');
    let next: Date | null = null;
    try {
      next = cronOf(schedule).nextRun(now);
    } catch (error) {
      refuse('expression', `is not a cron expression: ${(error as Error).message}`);
    }
    if (!next) refuse('expression', 'never runs');
  }
  if (schedule.kind === 'local') {
    // The last timezone to reach the time is UTC−12: past there means past everywhere.
    const latest = Date.parse(`${schedule.date}T${schedule.time}:00Z`) + 12 * 3600_000;
    if (Number.isNaN(latest)) refuse('date', 'is not a date');
    if (latest < now.getTime()) refuse('date', 'is in the past in every timezone');
  }
}

function cronOf(schedule: Extract<Schedule, { kind: 'cron' }>): Cron {
  return new Cron(schedule.expression, { timezone: schedule.timezone, paused: true });
}
