// Timestamp formatting and HumanDuration, table-driven against upstream's duration_test.go cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, rfc3339, rfc3339Micro, translateTimestampSince } from './time.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration matches upstream HumanDuration', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1.5 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [4 * M + 30 * S, '4m30s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [5 * M, '5m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 10 * M, '3h10m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [400 * D, '400d'],
    [730 * D, '2y'],
    [3 * 365 * D, '3y'],
    [3 * 365 * D + 10 * D, '3y10d'],
    [8 * 365 * D, '8y'],
    [10 * 365 * D + 40 * D, '10y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('rfc3339 drops the fraction; rfc3339Micro keeps six digits', () => {
  const d = new Date('2026-11-22T11:23:39.123Z');
  assert.equal(rfc3339(d), '2026-11-22T11:23:39Z');
  assert.equal(rfc3339Micro(d), '2026-11-22T11:23:39.123000Z');
});

test('translateTimestampSince', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince('', now), '<unknown>');
  assert.equal(translateTimestampSince('2026-11-22T11:55:00Z', now), '5m');
  assert.equal(translateTimestampSince('2026-11-20T09:00:00Z', now), '2d3h');
});
