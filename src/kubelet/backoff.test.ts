import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

test('back-off doubles from 10 s to 5 min and resets after 10 min without failures', () => {
  let now = 0;
  const b = new Backoff({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 }, () => now);
  const seen: number[] = [];
  for (let i = 0; i < 7; i++) {
    now += 1000;
    seen.push(b.next('c'));
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(b.remaining('c'), 300_000);
  now += 100_000;
  assert.equal(b.remaining('c'), 200_000);
  now += 700_000;
  assert.equal(b.next('c'), 10_000, 'reset after a quiet 10 minutes');
  assert.equal(b.next('c'), 10_000, 'the same failure time does not double');
});

test('resetPrefix forgets one pod', () => {
  const b = new Backoff({ initialMs: 1, maxMs: 8, resetAfterMs: 100 }, () => 5);
  b.next('uid1/a');
  b.next('uid2/a');
  b.resetPrefix('uid1/');
  assert.equal(b.current('uid1/a'), 0);
  assert.equal(b.current('uid2/a'), 1);
});
