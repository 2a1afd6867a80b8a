/**
 * Wall-clock time in a timezone to an instant, with the two daylight-saving rules a reminder
 * needs: a time that does not exist (the clock jumps from 02:00 to 03:00) is sent at the first
 * instant after the jump, never skipped; a time that happens twice (the clock goes back) is
 * sent at its first occurrence, never twice. Uses the runtime's IANA data (Intl), no library.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offset can only be one of the zone's offsets around that day: try the offset before and
  // after (12 h either side), earliest first, and keep the first that maps back to the wall time.
  const candidates = [
    ...new Set([offsetAt(wall - 12 * 3600_000, timeZone), offsetAt(wall + 12 * 3600_000, timeZone)]),
  ]
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  for (const instant of candidates) if (wallClock(instant, timeZone) === wall) return new Date(instant);
  // In the gap the wall time never happens: find the jump itself, the first minute whose
  // reading is past the wall time (between the two offsets' readings of it).
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (wallClock(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** Minutes east of UTC, in milliseconds, that `timeZone` observes at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - Math.floor(instant / 60_000) * 60_000;
}

/** The wall-clock reading (as a UTC-based number) of `instant` in `timeZone`, to the minute. */
function wallClock(instant: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
