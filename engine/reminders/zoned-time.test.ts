import { describe, expect, it } from 'vitest';
import { zonedTimeToUtc } from './zoned-time.js';

describe('zonedTimeToUtc', () => {
  it.each([
    // Ordinary days.
    ['Africa/Johannesburg', '2026-12-10', '09:00', '2026-12-10T07:00:00.000Z'],
    ['Africa/Nairobi', '2026-12-10', '09:00', '2026-12-10T06:00:00.000Z'],
    ['America/New_York', '2026-07-01', '09:00', '2026-07-01T13:00:00.000Z'],
    ['America/New_York', '2026-12-01', '09:00', '2026-12-01T14:00:00.000Z'],
    // London: 2027-03-28 01:00 GMT jumps to 02:00 BST; 01:30 never happens: sent at the jump.
    ['Europe/London', '2027-03-28', '00:59', '2027-03-28T00:59:00.000Z'],
    ['Europe/London', '2027-03-28', '01:30', '2027-03-28T01:00:00.000Z'],
    ['Europe/London', '2027-03-28', '02:00', '2027-03-28T01:00:00.000Z'],
    // London: 2027-10-31 02:00 BST goes back to 01:00 GMT; 01:30 happens twice: the first one.
    ['Europe/London', '2027-10-31', '01:30', '2027-10-31T00:30:00.000Z'],
    ['Europe/London', '2027-10-31', '02:30', '2027-10-31T02:30:00.000Z'],
    // New York: 2027-03-14 02:00 EST jumps to 03:00 EDT; 2027-11-07 02:00 EDT back to 01:00 EST.
    ['America/New_York', '2027-03-14', '02:30', '2027-03-14T07:00:00.000Z'],
    ['America/New_York', '2027-03-14', '03:30', '2027-03-14T07:30:00.000Z'],
    ['America/New_York', '2027-11-07', '01:30', '2027-11-07T05:30:00.000Z'],
    // Lord Howe moves by half an hour: 2027-04-04 02:00 (+11) back to 01:30 (+10:30).
    ['Australia/Lord_Howe', '2027-04-04', '01:45', '2027-04-03T14:45:00.000Z'],
  ])('%s %s %s is %s', (zone, date, time, instant) => {
    expect(zonedTimeToUtc(date, time, zone).toISOString()).toBe(instant);
  });
});
