// Table-driven tests of the cron parser and next-activation search, including time zones and DST.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextAfter, parseSchedule } from './cron.js';

const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString().replace('.000Z', 'Z'));

test('next activation', () => {
  const cases: Array<[spec: string, after: string, want: string, tz?: string]> = [
    ['*/1 * * * *', '2026-11-22T14:00:00Z', '2026-11-22T14:01:00Z'],
    ['* * * * *', '2026-11-22T14:00:30Z', '2026-11-22T14:01:00Z'],
    ['*/15 * * * *', '2026-11-22T14:16:00Z', '2026-11-22T14:30:00Z'],
    ['5/20 * * * *', '2026-11-22T14:46:00Z', '2026-11-22T15:05:00Z'],
    ['0 9-17/4 * * *', '2026-11-22T13:00:00Z', '2026-11-22T17:00:00Z'],
    ['30 2 * * mon-fri', '2026-11-21T00:00:00Z', '2026-11-23T02:30:00Z'], // Saturday → Monday
    ['0 0 1 jan,JUL *', '2026-02-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['0 0 13 * 5', '2026-11-01T00:00:00Z', '2026-11-06T00:00:00Z'], // dom OR dow: Friday 6th
    ['0 0 */2 * 5', '2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z'], // */2 is not a star: OR
    ['0 0 * * 5', '2026-11-01T00:00:00Z', '2026-11-06T00:00:00Z'], // dom star: AND
    ['@hourly', '2026-11-22T14:00:00Z', '2026-11-22T15:00:00Z'],
    ['@daily', '2026-11-22T14:00:00Z', '2026-11-23T00:00:00Z'],
    ['@midnight', '2026-12-31T23:59:00Z', '2027-01-01T00:00:00Z'],
    ['@weekly', '2026-11-22T14:00:00Z', '2026-11-29T00:00:00Z'],
    ['@monthly', '2026-11-22T14:00:00Z', '2026-12-01T00:00:00Z'],
    ['@yearly', '2026-11-22T14:00:00Z', '2027-01-01T00:00:00Z'],
    ['@annually', '2026-11-22T14:00:00Z', '2027-01-01T00:00:00Z'],
    ['0 0 31 2 *', '2026-11-22T14:00:00Z', 'none'],
    // Time zones: 09:00 in New York is 14:00 UTC in winter (EST), 13:00 UTC in summer (EDT).
    ['0 9 * * *', '2026-11-22T15:00:00Z', '2026-11-23T14:00:00Z', 'America/New_York'],
    ['0 9 * * *', '2026-07-01T00:00:00Z', '2026-07-01T13:00:00Z', 'America/New_York'],
    ['0 9 * * *', '2026-11-22T00:00:00Z', '2026-11-22T08:00:00Z', 'Europe/Berlin'],
    ['0 0 * * *', '2026-11-22T00:00:00Z', '2026-11-22T18:30:00Z', 'Asia/Kolkata'],
    // Spring forward (2026-03-08 02:00 EST → 03:00 EDT): 02:30 does not exist that day.
    ['30 2 * * *', '2026-03-07T12:00:00Z', '2026-03-09T06:30:00Z', 'America/New_York'],
    ['0 3 * * *', '2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', 'America/New_York'],
    // Fall back (2026-11-01 02:00 EDT → 01:00 EST): 01:30 runs once, at its first occurrence.
    ['30 1 * * *', '2026-11-01T04:00:00Z', '2026-11-01T05:30:00Z', 'America/New_York'],
    ['30 1 * * *', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z', 'America/New_York'],
  ];
  for (const [spec, after, want, tz] of cases) {
    assert.equal(iso(nextAfter(parseSchedule(spec), Date.parse(after), tz)), want, `${spec} after ${after} in ${tz ?? 'UTC'}`);
  }
});

test('invalid schedules are rejected', () => {
  for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', '5-1 * * * *', '*/0 * * * *', '@every 5m', 'a * * * *', 'TZ=UTC * * * * *']) {
    assert.throws(() => parseSchedule(bad), Error, bad);
  }
});

test('names are case-insensitive and lists combine', () => {
  const s = parseSchedule('0,30 1-3 * JAN-mar SUN,sat');
  assert.deepEqual([...s.minutes], [0, 30]);
  assert.deepEqual([...s.hours], [1, 2, 3]);
  assert.deepEqual([...s.months], [1, 2, 3]);
  assert.deepEqual([...s.dow].sort(), [0, 6]);
  assert.equal(s.domStar, true);
  assert.equal(s.dowStar, false);
});
