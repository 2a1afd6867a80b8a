import { z } from 'zod';

/**
 * RFC 3339 date-time (https://www.rfc-editor.org/rfc/rfc3339#section-5.6): any fraction of a
 * second (Python's `isoformat()` writes microseconds), `Z` or a numeric offset such as
 * `+00:00` or `+02:00`; `t`, `z` and a space between date and time are accepted as the RFC's
 * note allows. Every time the REST API takes goes through this one schema, so a script's
 * times are accepted the same way everywhere.
 */
const pattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export const rfc3339Schema = z
  .string()
  .refine((text) => rfc3339Micros(text) !== null, {
    message: 'not an RFC 3339 time: use e.g. 2026-12-03T12:28:32.507736+00:00 or 2026-12-03T12:28:32Z',
  })
  .meta({ format: 'date-time', examples: ['2026-12-03T12:28:32.507736+00:00'] });

/** Microseconds since the Unix epoch (digits past microseconds are dropped), or null if not RFC 3339. */
export function rfc3339Micros(text: string): bigint | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999; no export reaches back there, so refuse them.
  if (year < 100) return null;
  const micros = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(utcMs) * 1000n + micros;
}

/** The same instant as `2026-12-03T12:28:32.507736Z`: a form Postgres, DuckDB and JavaScript all read. */
export function rfc3339ToUtc(text: string): string {
  const micros = rfc3339Micros(text);
  if (micros === null) throw new Error(`not an RFC 3339 time: ${text}`);
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  // BigInt division truncates toward zero: floor it for times before 1970.
  if (rest < 0n) {
    rest += 1000n;
    ms -= 1n;
  }
  const base = new Date(Number(ms)).toISOString().slice(0, -1);
  return `${base}${String(rest).padStart(3, '0')}Z`;
}
