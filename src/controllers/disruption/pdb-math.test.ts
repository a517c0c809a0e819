import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { buildDisruptedPodMap, countHealthyPods, disruptionsAllowed, expectedPodCount, scaledValue, statusUnchanged, type ScaleLookup } from './pdb-math.js';

const pod = (name: string, ready = true, owner?: string, deleting = false): Pod => ({
  metadata: {
    name,
    namespace: 'd',
    ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] } : {}),
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pdb = (spec: PodDisruptionBudget['spec'], disruptedPods?: Record<string, string>): PodDisruptionBudget => ({ metadata: { name: 'b', namespace: 'd', generation: 1 }, spec, ...(disruptedPods ? { status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, disruptedPods } } : {}) });
// Every owner "rs-N" has scale 5; pods without owner are unmanaged; owner "gone" cannot be found.
const lookup: ScaleLookup = (p) => {
  const ref = p.metadata?.ownerReferences?.[0];
  if (!ref) return 'unmanaged';
  if (ref.name === 'gone') return undefined;
  return { uid: ref.uid, replicas: 5 };
};

test('scaledValue: ints, percentages rounded up or down, bad strings', () => {
  assert.equal(scaledValue(2, 10, true), 2);
  assert.equal(scaledValue('50%', 3, true), 2);
  assert.equal(scaledValue('50%', 3, false), 1);
  assert.equal(scaledValue('100%', 7, true), 7);
  assert.throws(() => scaledValue('two', 3, true), /not a percentage/);
});

test('minAvailable int: expected = matching pods, desired = the int', () => {
  const pods = [pod('a', true, 'rs-1'), pod('b', true, 'rs-1'), pod('c', true, 'rs-1')];
  assert.deepEqual(expectedPodCount(pdb({ minAvailable: 2 }), pods, lookup), { expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] });
});

test('minAvailable percent and maxUnavailable use the controllers scale, each controller once', () => {
  const pods = [pod('a', true, 'rs-1'), pod('b', true, 'rs-1'), pod('c', true, 'rs-2')];
  assert.deepEqual(expectedPodCount(pdb({ minAvailable: '50%' }), pods, lookup), { expectedCount: 10, desiredHealthy: 5, unmanagedPods: [] });
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: 1 }), pods, lookup), { expectedCount: 10, desiredHealthy: 9, unmanagedPods: [] });
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: '30%' }), pods, lookup), { expectedCount: 10, desiredHealthy: 7, unmanagedPods: [] });
  // desiredHealthy never goes below zero
  assert.equal(expectedPodCount(pdb({ maxUnavailable: '100%' }), pods, lookup).desiredHealthy, 0);
});

test('unmanaged pods are reported and not counted; an unknown controller counts its pods', () => {
  const pods = [pod('a'), pod('b', true, 'gone'), pod('c', true, 'gone')];
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: 1 }), pods, lookup), { expectedCount: 2, desiredHealthy: 1, unmanagedPods: ['a'] });
});

test('healthy pods: Ready, not deleting, not recently evicted', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const pods = [pod('a'), pod('b', false), pod('c', true, undefined, true), pod('d'), pod('e')];
  const recent = '2026-01-01T00:09:30Z';
  const stale = '2026-01-01T00:05:00Z';
  const { disrupted, recheckAtMs, notDeleted } = buildDisruptedPodMap(pods, pdb({ minAvailable: 1 }, { d: recent, e: stale, gone: recent, c: recent }), now);
  assert.deepEqual(disrupted, { d: recent });
  assert.equal(recheckAtMs, Date.parse(recent) + 120_000);
  assert.deepEqual(notDeleted.map((p) => p.metadata?.name), ['e']);
  // a: healthy; b: not ready; c: deleting; d: evicted 30 s ago; e: eviction expired → healthy again
  assert.equal(countHealthyPods(pods, disrupted, now), 2);
});

test('disruptionsAllowed: the surplus, never negative, 0 while nothing is expected', () => {
  assert.equal(disruptionsAllowed(3, 2, 3), 1);
  assert.equal(disruptionsAllowed(1, 2, 3), 0);
  assert.equal(disruptionsAllowed(3, 0, 0), 0);
});

test('statusUnchanged compares numbers, generation, disruptedPods and needs the condition', () => {
  const base = { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1, disruptedPods: { a: 'x', b: 'y' } };
  const withCond = { ...pdb({ minAvailable: 2 }), status: { ...base, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', lastTransitionTime: 't' }] } };
  assert.equal(statusUnchanged(withCond, { ...base, disruptedPods: { b: 'y', a: 'x' } }), true);
  assert.equal(statusUnchanged(withCond, { ...base, disruptionsAllowed: 0 }), false);
  assert.equal(statusUnchanged({ ...withCond, status: base }, base), false);
});
