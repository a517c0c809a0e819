// Unit tests for the DaemonSet rolling-update arithmetic: limits from ints/percentages, the
// maxUnavailable plan (old pods deleted up to the budget, unavailable old pods always replaced) and
// the maxSurge plan (new pods beside old ones, old deleted once the new one is available).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { findUpdatedPodsOnNode, planRollingUpdate, scaledValue, updateLimits } from './rolling-update.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const nodes = (n: number): Node[] => Array.from({ length: n }, (_, i) => ({ metadata: { name: `n${i}` }, spec: {} }));
const ds = (ru: { maxUnavailable?: number | string; maxSurge?: number | string }): DaemonSet => ({
  metadata: { name: 'd', namespace: 'default', annotations: { 'deprecated.daemonset.template.generation': '2' } },
  spec: {
    selector: { matchLabels: { a: 'b' } },
    template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: ru },
  },
});
const pod = (name: string, node: string, hash: string, ready = true): Pod => ({
  metadata: { name, labels: { 'controller-revision-hash': hash }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { containers: [], nodeName: node },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});
const podsMap = (pods: Pod[]) => {
  const m = new Map<string, Pod[]>();
  for (const p of pods) m.set(p.spec!.nodeName!, [...(m.get(p.spec!.nodeName!) ?? []), p]);
  return m;
};

test('limits: ints, percentages rounded up, both zero → maxUnavailable 1', () => {
  assert.equal(scaledValue('25%', 10, 1), 3);
  assert.equal(scaledValue(2, 10, 1), 2);
  assert.equal(scaledValue(undefined, 10, 1), 1);
  assert.deepEqual(updateLimits(ds({ maxUnavailable: '50%' }), 5), { maxSurge: 0, maxUnavailable: 3 });
  assert.deepEqual(updateLimits(ds({ maxUnavailable: 0, maxSurge: 0 }), 5), { maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(updateLimits(ds({ maxUnavailable: 0, maxSurge: '10%' }), 5), { maxSurge: 1, maxUnavailable: 0 });
});

test('findUpdatedPodsOnNode: by hash or template generation; two of a kind is not ok', () => {
  const gen = { ...pod('g', 'n0', 'zzz'), metadata: { name: 'g', labels: { 'pod-template-generation': '2' } } };
  assert.equal(findUpdatedPodsOnNode([gen], 'new', '2').newPod?.metadata?.name, 'g');
  const r = findUpdatedPodsOnNode([pod('a', 'n0', 'old'), pod('b', 'n0', 'new')], 'new', undefined);
  assert.deepEqual([r.oldPod?.metadata?.name, r.newPod?.metadata?.name, r.ok], ['a', 'b', true]);
  assert.equal(findUpdatedPodsOnNode([pod('a', 'n0', 'old'), pod('b', 'n0', 'old')], 'new', undefined).ok, false);
});

test('maxUnavailable 1 on 3 old pods: one deleted per step; an unavailable new pod blocks the next', () => {
  const d = ds({ maxUnavailable: 1 });
  let plan = planRollingUpdate(d, nodes(3), podsMap([pod('p0', 'n0', 'old'), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan, { podsToDelete: ['p0'], nodesToCreate: [] });
  // n0 replaced but not ready yet: budget used up.
  plan = planRollingUpdate(d, nodes(3), podsMap([pod('q0', 'n0', 'new', false), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan.podsToDelete, []);
  // n0 ready: the next old pod goes.
  plan = planRollingUpdate(d, nodes(3), podsMap([pod('q0', 'n0', 'new'), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan.podsToDelete, ['p1']);
  // A node with no pod counts as unavailable.
  plan = planRollingUpdate(d, nodes(3), podsMap([pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan.podsToDelete, []);
});

test('maxUnavailable 2 deletes two; unavailable old pods are replaced regardless of the budget', () => {
  let plan = planRollingUpdate(ds({ maxUnavailable: 2 }), nodes(3), podsMap([pod('p0', 'n0', 'old'), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan.podsToDelete, ['p0', 'p1']);
  plan = planRollingUpdate(ds({ maxUnavailable: 1 }), nodes(3), podsMap([pod('p0', 'n0', 'old', false), pod('p1', 'n1', 'old', false), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan.podsToDelete, ['p0', 'p1', 'p2']); // unavailable old pods do not use the budget (as upstream)
});

test('maxSurge 1: create beside an old pod, delete the old once the new is available', () => {
  const d = ds({ maxUnavailable: 0, maxSurge: 1 });
  let plan = planRollingUpdate(d, nodes(3), podsMap([pod('p0', 'n0', 'old'), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan, { podsToDelete: [], nodesToCreate: ['n0'] });
  plan = planRollingUpdate(d, nodes(3), podsMap([pod('p0', 'n0', 'old'), pod('q0', 'n0', 'new', false), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan, { podsToDelete: [], nodesToCreate: [] });
  plan = planRollingUpdate(d, nodes(3), podsMap([pod('p0', 'n0', 'old'), pod('q0', 'n0', 'new'), pod('p1', 'n1', 'old'), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan, { podsToDelete: ['p0'], nodesToCreate: ['n1'] });
  // An unavailable old pod gets its replacement at once, outside the surge budget.
  plan = planRollingUpdate(d, nodes(3), podsMap([pod('p0', 'n0', 'old'), pod('q0', 'n0', 'new', false), pod('p1', 'n1', 'old', false), pod('p2', 'n2', 'old')]), 'new', NOW);
  assert.deepEqual(plan, { podsToDelete: [], nodesToCreate: ['n1'] });
});
