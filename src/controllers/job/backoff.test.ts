// Pod-failure back-off: 10 s doubling per consecutive failure, capped at 6 minutes; a success resets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackoffStore, backoffDelay, remainingBackoff } from './backoff.js';

test('delay doubles from the base and is capped at 6 minutes', () => {
  const cases: Array<[failures: number, want: number]> = [[0, 0], [1, 10_000], [2, 20_000], [3, 40_000], [4, 80_000], [5, 160_000], [6, 320_000], [7, 360_000], [60, 360_000]];
  for (const [failures, want] of cases) assert.equal(backoffDelay(failures), want, `${failures} failures`);
  assert.equal(backoffDelay(3, 50), 200, 'test-time base');
});

test('remaining time counts from the last failure; a later success resets', () => {
  const s = new BackoffStore();
  assert.equal(remainingBackoff(s.get('j'), 0), 0);
  s.observe('j', [1_000], []);
  assert.equal(remainingBackoff(s.get('j'), 1_000), 10_000);
  assert.equal(remainingBackoff(s.get('j'), 6_000), 5_000);
  assert.equal(remainingBackoff(s.get('j'), 11_000), 0);
  s.observe('j', [12_000, 13_000], []);
  assert.equal(s.get('j')?.failuresAfterLastSuccess, 3);
  assert.equal(remainingBackoff(s.get('j'), 13_000), 40_000);
  s.observe('j', [], [14_000]);
  assert.equal(remainingBackoff(s.get('j'), 14_000), 0);
  s.observe('j', [15_000], [14_500]);
  assert.equal(s.get('j')?.failuresAfterLastSuccess, 1);
  s.delete('j');
  assert.equal(s.get('j'), undefined);
});
