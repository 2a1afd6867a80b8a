import { describe, expect, it } from 'vitest';
import { checkSchedule, localSendTime, nextRunAt, upcomingRuns } from './schedule.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('cron schedules across daylight-saving changes', () => {
  it.each([
    // London springs forward 2027-03-28 01:00 GMT -> 02:00 BST: 01:30 does not exist that day.
    [
      'Europe/London',
      '30 1 * * *',
      '2027-03-26T12:00:00Z',
      ['2027-03-27T01:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z'],
    ],
    // London falls back 2027-10-31 02:00 BST -> 01:00 GMT: 01:30 happens twice, sent once.
    [
      'Europe/London',
      '30 1 * * *',
      '2027-10-29T12:00:00Z',
      ['2027-10-30T00:30:00.000Z', '2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z'],
    ],
    // A weekly 09:00 keeps 09:00 local across the change, so its UTC time moves by an hour.
    [
      'Europe/London',
      '0 9 * * 1',
      '2027-03-20T00:00:00Z',
      ['2027-03-22T09:00:00.000Z', '2027-03-29T08:00:00.000Z', '2027-04-05T08:00:00.000Z'],
    ],
    // New York springs forward 2027-03-14 02:00 EST -> 03:00 EDT.
    [
      'America/New_York',
      '30 2 * * *',
      '2027-03-12T12:00:00Z',
      ['2027-03-13T07:30:00.000Z', '2027-03-14T07:00:00.000Z', '2027-03-15T06:30:00.000Z'],
    ],
    // New York falls back 2027-11-07 02:00 EDT -> 01:00 EST.
    [
      'America/New_York',
      '30 1 * * *',
      '2027-11-05T12:00:00Z',
      ['2027-11-06T05:30:00.000Z', '2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z'],
    ],
    // Johannesburg has no daylight saving: always 07:00 UTC.
    [
      'Africa/Johannesburg',
      '0 9 * * *',
      '2027-03-27T12:00:00Z',
      ['2027-03-28T07:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-03-30T07:00:00.000Z'],
    ],
  ])('%s %s after %s', (timezone, expression, after, expected) => {
    const schedule = { kind: 'cron' as const, expression, timezone };
    expect(upcomingRuns(schedule, new Date(after), 3).map(iso)).toEqual(expected);
    // nextRunAt walks the same occurrences, one run after another, never twice.
    let last: Date | null = null;
    const walked: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      last = nextRunAt(schedule, new Date(after), last);
      walked.push(iso(last));
    }
    expect(walked).toEqual(expected);
  });
});

describe("exact local time in each person's timezone", () => {
  const schedule = { kind: 'local' as const, date: '2027-03-28', time: '01:30' };
  it.each([
    ['Pacific/Kiritimati', '2027-03-27T11:30:00.000Z'],
    ['Africa/Nairobi', '2027-03-27T22:30:00.000Z'],
    ['Africa/Johannesburg', '2027-03-27T23:30:00.000Z'],
    // The day London's clocks skip 01:00-02:00: sent at the jump, not skipped.
    ['Europe/London', '2027-03-28T01:00:00.000Z'],
    ['America/New_York', '2027-03-28T05:30:00.000Z'],
  ])('%s gets it at %s', (zone, instant) => {
    expect(iso(localSendTime(schedule, zone))).toBe(instant);
  });

  it('is planned an hour before the earliest timezone reaches the time, once', () => {
    const planned = nextRunAt(schedule, new Date('2027-03-01T00:00:00Z'), null);
    expect(iso(planned)).toBe('2027-03-27T10:30:00.000Z');
    expect(nextRunAt(schedule, new Date('2027-03-01T00:00:00Z'), planned)).toBeNull();
  });
});

describe('one-off schedules and checks', () => {
  const now = new Date('2026-12-04T10:00:00Z');
  it('runs now and at a time once', () => {
    expect(iso(nextRunAt({ kind: 'now' }, now, null))).toBe('2026-12-04T10:00:00.000Z');
    expect(nextRunAt({ kind: 'now' }, now, now)).toBeNull();
    expect(iso(nextRunAt({ kind: 'at', at: '2026-12-05T08:00:00+02:00' }, now, null))).toBe(
      '2026-12-05T06:00:00.000Z',
    );
  });

  it.each([
    [{ kind: 'at', at: '2026-12-04T09:00:00Z' }, 'schedule.at is in the past'],
    [
      { kind: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' },
      'schedule.timezone is not an IANA timezone',
    ],
    [
      { kind: 'cron', expression: '61 9 * * *', timezone: 'Africa/Nairobi' },
      'schedule.expression is not a cron expression',
    ],
    [{ kind: 'local', date: '2026-12-02', time: '09:00' }, 'schedule.date is in the past in every timezone'],
  ] as const)('refuses %j', (schedule, message) => {
    expect(() => checkSchedule(schedule, now)).toThrow(message);
  });

  it('accepts a local time that has passed in the east but not yet in the west', () => {
    expect(() => checkSchedule({ kind: 'local', date: '2026-12-04', time: '09:00' }, now)).not.toThrow();
  });
});
