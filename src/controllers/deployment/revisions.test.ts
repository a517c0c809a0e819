// Unit tests for revision bookkeeping: which RS is new (template equality ignoring the hash), the
// revision / revision-history annotations after a rollback, and which Deployment annotations are copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision, setNewReplicaSetAnnotations } from './revisions.js';
import { dep, rs } from './testing.js';

const withTemplate = (r: ReplicaSet, image: string, hash: string): ReplicaSet => ({
  ...r,
  spec: { ...r.spec!, template: { metadata: { labels: { app: 'd', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'c', image }] } } },
});

test('equalIgnoreHash: the hash label does not count; empty equals absent', () => {
  const a = { metadata: { labels: { app: 'd', 'pod-template-hash': 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const b = { metadata: { labels: { app: 'd' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [] } };
  assert.equal(equalIgnoreHash(a, b), true);
  assert.equal(equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'j' }] } }), false);
});

test('findNewReplicaSet / findOldReplicaSets by template', () => {
  const d = dep(3);
  d.spec!.template.spec = { containers: [{ name: 'c', image: 'img:2' }] };
  const r1 = withTemplate(rs('r1', 0), 'img:1', 'a');
  const r2 = withTemplate(rs('r2', 3), 'img:2', 'b');
  const r3 = withTemplate(rs('r3', 2), 'img:3', 'c');
  assert.equal(findNewReplicaSet(d, [r1, r2, r3])?.metadata?.name, 'r2');
  const { requiredRSs, allOldRSs } = findOldReplicaSets(d, [r1, r2, r3]);
  assert.deepEqual(allOldRSs.map((x) => x.metadata?.name), ['r1', 'r3']);
  assert.deepEqual(requiredRSs.map((x) => x.metadata?.name), ['r3']);
});

test('setNewReplicaSetAnnotations: a rolled-back RS goes 1 → 3 and remembers 1; change-cause copied, last-applied not', () => {
  const d = dep(3);
  d.metadata!.annotations = { 'kubernetes.io/change-cause': 'undo', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '2' };
  const r = rs('r1', 0, 0, { 'deployment.kubernetes.io/revision': '1' });
  assert.equal(setNewReplicaSetAnnotations(d, r, '3', true), true);
  const ann = r.metadata!.annotations!;
  assert.equal(ann['deployment.kubernetes.io/revision'], '3');
  assert.equal(ann['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(ann['kubernetes.io/change-cause'], 'undo');
  assert.equal(ann['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  assert.equal(ann['deployment.kubernetes.io/desired-replicas'], undefined, 'existing RSs keep their size annotations');
  // Again to 5: history grows.
  setNewReplicaSetAnnotations(d, r, '5', true);
  assert.equal(ann['deployment.kubernetes.io/revision-history'], '1,3');
  assert.equal(setNewReplicaSetAnnotations(d, r, '4', true), false, 'never lowered');
  const fresh = rs('n', 0, 0, {});
  setNewReplicaSetAnnotations(d, fresh, '1', false);
  assert.equal(fresh.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
  assert.equal(fresh.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '4');
  assert.equal(maxRevision([r, fresh, rs('bad', 0, 0, { 'deployment.kubernetes.io/revision': 'x' })]), 5);
});
