// Unit tests for rollout arithmetic: fencepost rounding (surge up, unavailable down), MaxSurge /
// MaxUnavailable, the next size of the new ReplicaSet, and the proportional share of a resize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dep, rs } from './testing.js';
import { getProportion, maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts, scaledValue, isSaturated } from './util.js';

test('scaledValue: percentages round up for surge, down for unavailable', () => {
  const cases: Array<[number | string, number, boolean, number]> = [
    ['25%', 10, true, 3], ['25%', 10, false, 2], ['25%', 1, true, 1], ['25%', 1, false, 0], ['50%', 5, true, 3], ['50%', 5, false, 2],
    ['0%', 10, true, 0], [4, 10, true, 4], ['3', 10, false, 3], ['100%', 7, false, 7],
  ];
  for (const [v, total, up, want] of cases) assert.equal(scaledValue(v, total, up), want, `${v} of ${total} ${up ? 'up' : 'down'}`);
});

test('resolveFenceposts: both zero becomes unavailable 1', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts(0, 0, 10), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts('10%', '10%', 3), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts('0%', '10%', 3), { surge: 0, unavailable: 1 });
});

test('maxSurge / maxUnavailable per strategy, unavailable capped at replicas', () => {
  assert.equal(maxSurge(dep(10)), 3);
  assert.equal(maxUnavailable(dep(10)), 2);
  assert.equal(maxSurge(dep(10, 1, 1, 'Recreate')), 0);
  assert.equal(maxUnavailable(dep(10, 1, 1, 'Recreate')), 0);
  assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
  assert.equal(maxUnavailable(dep(0)), 0);
});

test('newRSNewReplicas: grows up to replicas+surge in total, never beyond replicas', () => {
  const d = dep(10, 3, 2);
  const newRS = rs('new', 0);
  assert.equal(newRSNewReplicas(d, [rs('old', 10), newRS], newRS), 3);
  const grown = rs('new', 3, 0);
  assert.equal(newRSNewReplicas(d, [rs('old', 10), grown], grown), 3, 'already at 13 pods: no growth');
  const later = rs('new', 5);
  assert.equal(newRSNewReplicas(d, [rs('old', 5), later], later), 8);
  const nearly = rs('new', 9);
  assert.equal(newRSNewReplicas(d, [rs('old', 0), nearly], nearly), 10);
  assert.equal(newRSNewReplicas(dep(4, 1, 1, 'Recreate'), [], rs('new', 0)), 4);
});

test('getProportion: the share of a resize from the max-replicas annotation, capped by what is left', () => {
  const d = dep(15, 3, 2); // an explicit surge of 3: 18 pods allowed
  const old = rs('old', 8, 8, { 'deployment.kubernetes.io/max-replicas': '13' });
  // round(8 * 18 / 13) - 8 = round(11.08) - 8 = 3
  assert.equal(getProportion(old, d, 5, 0), 3);
  assert.equal(getProportion(old, d, 5, 4), 1, 'capped by what is left to add');
  assert.equal(getProportion(old, d, 0, 0), 0);
  assert.equal(getProportion(rs('z', 0), d, 5, 0), 0);
  // Scaling to zero removes everything an RS has.
  assert.equal(getProportion(old, dep(0, 3, 2), -13, 0), -8);
});

test('isSaturated: new RS sized, annotated and fully available', () => {
  const d = dep(3);
  assert.equal(isSaturated(d, rs('n', 3, 3, { 'deployment.kubernetes.io/desired-replicas': '3' })), true);
  assert.equal(isSaturated(d, rs('n', 3, 2, { 'deployment.kubernetes.io/desired-replicas': '3' })), false);
  assert.equal(isSaturated(d, rs('n', 3, 3)), false);
  assert.equal(isSaturated(d, undefined), false);
});
