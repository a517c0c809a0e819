// Unit tests for the DaemonSet manage plan (create where missing, delete where not eligible, failed
// pods with back-off, extra pods) and the status counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { computeStatus, FailedPodsBackoff, planManage } from './manage.js';

const node = (name: string, taints: Taint[] = []): Node => ({ metadata: { name }, spec: { taints } });
const DS: DaemonSet = {
  metadata: { name: 'd', namespace: 'default', uid: 'u1' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
};
const pod = (name: string, nodeName: string, o: { phase?: string; ready?: boolean; hash?: string; created?: string } = {}): Pod => ({
  metadata: { name, labels: { 'controller-revision-hash': o.hash ?? 'h' }, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
  spec: { containers: [], nodeName },
  status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const map = (pods: Pod[]) => {
  const m = new Map<string, Pod[]>();
  for (const p of pods) m.set(p.spec!.nodeName!, [...(m.get(p.spec!.nodeName!) ?? []), p]);
  return m;
};
const noExec: Taint = { key: 'k', value: 'v', effect: 'NoExecute' };
const noSched: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };

test('creates on eligible nodes without pods; deletes on NoExecute-tainted ones; keeps on NoSchedule', () => {
  const nodes = [node('n0'), node('n1'), node('n2', [noExec]), node('n3', [noSched])];
  const plan = planManage(DS, nodes, map([pod('p1', 'n1'), pod('p2', 'n2'), pod('p3', 'n3')]), 'h', new FailedPodsBackoff(), 0);
  assert.deepEqual(plan.nodesNeedingPods, ['n0']);
  assert.deepEqual(plan.podsToDelete, ['p2']);
});

test('extra pods on a node: all but the oldest go; unbound pods for vanished nodes go', () => {
  const m = map([pod('new', 'n0', { created: '2026-01-01T00:00:05Z' }), pod('old', 'n0')]);
  m.set('gone', [{ metadata: { name: 'orphan' }, spec: { containers: [] } }]);
  const plan = planManage(DS, [node('n0')], m, 'h', new FailedPodsBackoff(), 0);
  assert.deepEqual(plan.podsToDelete, ['new', 'orphan']);
});

test('failed pods are deleted, then the node backs off 1s, 2s, …', () => {
  const b = new FailedPodsBackoff();
  const m = map([pod('f', 'n0', { phase: 'Failed' })]);
  let plan = planManage(DS, [node('n0')], m, 'h', b, 10_000);
  assert.deepEqual(plan.podsToDelete, ['f']);
  assert.equal(plan.failedPods.length, 1);
  plan = planManage(DS, [node('n0')], m, 'h', b, 10_500);
  assert.deepEqual(plan.podsToDelete, []);
  assert.equal(plan.requeueAfterMs, 500);
  plan = planManage(DS, [node('n0')], m, 'h', b, 11_000);
  assert.deepEqual(plan.podsToDelete, ['f']);
  plan = planManage(DS, [node('n0')], m, 'h', b, 12_000);
  assert.equal(plan.requeueAfterMs, 1000); // now 2 s since 11 000
});

test('status counts desired, current, misscheduled, ready, available, updated', () => {
  const nodes = [node('n0'), node('n1'), node('n2'), node('n3', [noSched])];
  const s = computeStatus(DS, nodes, map([pod('a', 'n0'), pod('b', 'n1', { ready: false, hash: 'old' }), pod('c', 'n3')]), 'h', Date.now());
  assert.deepEqual(s, {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 2,
    numberMisscheduled: 1,
    numberReady: 1,
    numberAvailable: 1,
    numberUnavailable: 2,
    updatedNumberScheduled: 1,
  });
});
