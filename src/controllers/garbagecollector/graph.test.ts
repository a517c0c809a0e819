// Unit tests for the garbage collector's graph (what each change enqueues) and for the
// attemptToDeleteItem decision rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { Graph, nodeFor } from './graph.js';
import { decide, invalidNamespaceMessage } from './decide.js';

const cmRes = { group: '', version: 'v1', resource: 'configmaps' };
const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, ...(block ? { blockOwnerDeletion: true } : {}) });
const obj = (uid: string, owners: OwnerReference[] = [], extra: { deleting?: boolean; finalizers?: string[]; ns?: string } = {}) =>
  nodeFor(
    {
      metadata: {
        uid,
        name: uid,
        namespace: extra.ns ?? 'default',
        ownerReferences: owners,
        finalizers: extra.finalizers,
        ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      },
    },
    cmRes,
    'ConfigMap',
  )!;

test('graph: reverse edges follow ownerReferences, also to owners never observed', () => {
  const g = new Graph();
  g.observe(obj('a'));
  g.observe(obj('c1', [ref('a')]));
  g.observe(obj('c2', [ref('a', true), ref('ghost')]));
  assert.deepEqual(g.dependentsOf('a').map((n) => n.uid).sort(), ['c1', 'c2']);
  assert.deepEqual(g.blockingDependentsOf('a').map((n) => n.uid), ['c2']);
  assert.deepEqual(g.dependentsOf('ghost').map((n) => n.uid), ['c2']);
  assert.deepEqual(g.nodesWithUnknownOwners(), ['c2']);
  g.observe(obj('c2', [ref('a', true)])); // ghost reference dropped
  assert.deepEqual(g.dependentsOf('ghost'), []);
  assert.deepEqual(g.nodesWithUnknownOwners(), []);
});

test('graph: deleting an owner enqueues its dependents; unknown owners only once synced', () => {
  const g = new Graph();
  assert.deepEqual(g.observe(obj('x', [ref('nobody')])).attemptToDelete, []);
  g.synced = true;
  assert.deepEqual(g.observe(obj('y', [ref('nobody')])).attemptToDelete, ['y']);
  g.observe(obj('a'));
  g.observe(obj('d', [ref('a')]));
  assert.deepEqual(g.forget('a').attemptToDelete, ['d']);
  assert.deepEqual(g.forget('missing').attemptToDelete, []);
});

test('graph: foreground deletion enqueues the owner and its dependents; a blocking dependent going re-enqueues the owner', () => {
  const g = new Graph();
  g.synced = true;
  g.observe(obj('o'));
  g.observe(obj('d1', [ref('o', true)]));
  g.observe(obj('d2', [ref('o')]));
  const w = g.observe(obj('o', [], { deleting: true, finalizers: ['foregroundDeletion'] }));
  assert.deepEqual(w.attemptToDelete.sort(), ['d1', 'd2', 'o']);
  assert.deepEqual(g.forget('d1').attemptToDelete, ['o']);
  // a dependent dropping blockOwnerDeletion also wakes the waiting owner
  g.observe(obj('d3', [ref('o', true)]));
  assert.ok(g.observe(obj('d3', [ref('o')])).attemptToDelete.includes('o'));
});

test('graph: an orphaning owner is queued for attemptToOrphan; a cross-namespace owner makes the dependent suspicious', () => {
  const g = new Graph();
  g.synced = true;
  assert.deepEqual(g.observe(obj('o', [], { deleting: true, finalizers: ['orphan'] })).attemptToOrphan, ['o']);
  g.observe(obj('p', [], { ns: 'a' }));
  assert.deepEqual(g.observe(obj('q', [ref('p')], { ns: 'b' })).attemptToDelete, ['q']);
  assert.deepEqual(g.observe(obj('r', [ref('p')], { ns: 'a' })).attemptToDelete, []);
});

const facts = { hasOrphanFinalizer: false, hasForegroundFinalizer: false, hasDependents: false };
test('decide: solid owners keep the item; dead or waiting references are dropped when another owner remains', () => {
  assert.deepEqual(decide(facts, []), { kind: 'keep' });
  assert.deepEqual(decide(facts, [{ ref: ref('a'), state: 'solid' }]), { kind: 'keep' });
  assert.deepEqual(
    decide(facts, [
      { ref: ref('a'), state: 'solid' },
      { ref: ref('b'), state: 'dangling' },
      { ref: ref('c'), state: 'waiting' },
    ]),
    { kind: 'removeRefs', uids: ['b', 'c'] },
  );
});

test('decide: without a solid owner the item is deleted with the policy its own finalizers or dependents ask for', () => {
  assert.deepEqual(decide(facts, [{ ref: ref('a'), state: 'dangling' }]), { kind: 'delete', policy: 'Background' });
  assert.deepEqual(decide({ ...facts, hasDependents: true }, [{ ref: ref('a'), state: 'waiting' }]), { kind: 'delete', policy: 'Foreground' });
  assert.deepEqual(decide(facts, [{ ref: ref('a'), state: 'waiting' }]), { kind: 'delete', policy: 'Background' });
  assert.deepEqual(decide({ ...facts, hasOrphanFinalizer: true }, [{ ref: ref('a'), state: 'dangling' }]), { kind: 'delete', policy: 'Orphan' });
  assert.deepEqual(decide({ ...facts, hasForegroundFinalizer: true }, [{ ref: ref('a'), state: 'dangling' }]), { kind: 'delete', policy: 'Foreground' });
});

test('OwnerRefInvalidNamespace message', () => {
  assert.equal(invalidNamespaceMessage(ref('u1'), 'a', 'b'), 'ownerRef [v1/ConfigMap, namespace: a, name: u1, uid: u1] does not exist in namespace "b"');
});
