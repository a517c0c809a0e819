// Unit tests for StatefulSet identity, storage and revision helpers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  applyRevision,
  getEndOrdinal,
  getParentNameAndOrdinal,
  getPersistentVolumeClaims,
  getStartOrdinal,
  identityMatches,
  isMemberOf,
  newRevision,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  storageMatches,
} from './utils.js';
import { makeSet } from './fixtures.js';

const named = (name: string): Pod => ({ metadata: { name } });

test('parent name and ordinal come from the pod name', () => {
  const cases: Array<[string, string, number]> = [
    ['web-0', 'web', 0],
    ['web-12', 'web', 12],
    ['my-db-3', 'my-db', 3],
    ['web', '', -1],
    ['web-x', '', -1],
    ['web-99999999999', 'web', -1],
  ];
  for (const [name, parent, ordinal] of cases) assert.deepEqual(getParentNameAndOrdinal(named(name)), { parent, ordinal }, name);
  assert.ok(isMemberOf(makeSet(), named('web-4')));
  assert.ok(!isMemberOf(makeSet(), named('web-db-4')));
});

test('ordinal range follows replicas and spec.ordinals.start', () => {
  const set = makeSet(3, { ordinals: { start: 5 } });
  assert.deepEqual([getStartOrdinal(set), getEndOrdinal(set)], [5, 7]);
  assert.deepEqual(['web-4', 'web-5', 'web-7', 'web-8'].map((n) => podInOrdinalRange(named(n), set)), [false, true, true, false]);
  assert.ok(!podInOrdinalRange(named('web-0'), makeSet(0)));
});

test('a new pod has its identity: name, hostname, subdomain, labels, owner, claims', () => {
  const pod = newStatefulSetPod(makeSet(), 2);
  assert.equal(pod.metadata?.name, 'web-2');
  assert.equal(pod.metadata?.namespace, 'ns');
  assert.deepEqual(pod.metadata?.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2' });
  assert.deepEqual([pod.spec?.hostname, pod.spec?.subdomain], ['web-2', 'nginx']);
  assert.deepEqual(pod.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(pod.spec?.volumes, [
    { name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } },
    { name: 'cfg', configMap: { name: 'cfg' } },
  ]);
  assert.ok(identityMatches(makeSet(), pod));
  assert.ok(storageMatches(makeSet(), pod));
  assert.ok(!identityMatches(makeSet(), { ...pod, metadata: { ...pod.metadata, labels: {} } }));
  assert.ok(!storageMatches(makeSet(), { ...pod, spec: { containers: [] } }));
});

test('claims are named <claim>-<set>-<ordinal> and labelled with the selector', () => {
  const claims = getPersistentVolumeClaims(makeSet(), 1);
  const c = claims.get('data');
  assert.equal(c?.metadata?.name, 'data-web-1');
  assert.equal(c?.metadata?.namespace, 'ns');
  assert.deepEqual(c?.metadata?.labels, { tier: 'db', app: 'web' });
  assert.deepEqual(c?.spec?.accessModes, ['ReadWriteOnce']);
});

test('a versioned pod below the partition gets the current revision, at or above it the update revision', () => {
  const current = makeSet(5, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3 } } });
  const update = makeSet(5);
  update.spec!.template.spec!.containers[0].image = 'img:2';
  const low = newVersionedStatefulSetPod(current, update, 'web-old', 'web-new', 2);
  const high = newVersionedStatefulSetPod(current, update, 'web-old', 'web-new', 3);
  assert.deepEqual([low.metadata?.labels?.['controller-revision-hash'], low.spec?.containers[0].image], ['web-old', 'img:1']);
  assert.deepEqual([high.metadata?.labels?.['controller-revision-hash'], high.spec?.containers[0].image], ['web-new', 'img:2']);
});

test('a revision snapshots the template and applyRevision restores it', () => {
  const set = makeSet();
  const rev = newRevision(set, 1, 0);
  assert.match(rev.metadata?.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(rev.metadata?.labels?.app, 'web');
  const changed = makeSet();
  changed.spec!.template.spec!.containers[0].image = 'img:2';
  assert.notEqual(newRevision(changed, 2, 0).metadata?.name, rev.metadata?.name);
  const restored = applyRevision(changed, rev);
  assert.equal(restored.spec?.template.spec?.containers[0].image, 'img:1');
  assert.equal((restored.spec?.template as Record<string, unknown>).$patch, undefined);
  assert.equal(changed.spec?.template.spec?.containers[0].image, 'img:2', 'input not mutated');
});
