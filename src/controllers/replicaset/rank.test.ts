import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { POD_DELETION_COST_ANNOTATION, podsToDelete } from './rank.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyFor?: number; age?: number; restarts?: number; cost?: number } = {}): Pod {
  return {
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(o.age ?? 1000), ...(o.cost !== undefined ? { annotations: { [POD_DELETION_COST_ANNOTATION]: String(o.cost) } } : {}) },
    spec: { containers: [], nodeName: o.node ?? 'n1' },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: ago(o.readyFor ?? 900) }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}
const names = (ps: Pod[]) => ps.map((p) => p.metadata?.name);

test('podsToDelete: unassigned, pending, not-ready go first', () => {
  const ps = [pod('running'), pod('unassigned', { node: '', phase: 'Pending', ready: false }), pod('pending', { phase: 'Pending', ready: false }), pod('notready', { ready: false })];
  assert.deepEqual(names(podsToDelete(ps, [], 3, NOW)), ['unassigned', 'pending', 'notready']);
});

test('podsToDelete: lower deletion cost first, then pods doubled up on a node with related pods', () => {
  const ps = [pod('a', { node: 'n1', cost: 10 }), pod('b', { node: 'n2' }), pod('c', { node: 'n3' }), pod('d', { node: 'n3' })];
  // b, c and d cost 0 < 10; c and d share n3, so one of them goes before b
  const first = names(podsToDelete(ps, ps, 1, NOW))[0];
  assert.ok(first === 'c' || first === 'd', String(first));
  assert.deepEqual(names(podsToDelete(ps, ps, 3, NOW)).sort(), ['b', 'c', 'd']);
  // with no related pods (an owner without a controller), no doubling-up preference
  assert.equal(names(podsToDelete([pod('x', { node: 'n1', cost: -5 }), pod('y', { node: 'n1' })], [], 1, NOW))[0], 'x');
});

test('podsToDelete: shorter ready time (log buckets), more restarts, newer first', () => {
  // ready 10 s vs 10000 s: different log2 buckets → the recently ready one goes
  assert.deepEqual(names(podsToDelete([pod('old', { readyFor: 10_000 }), pod('new', { readyFor: 10 })], [], 1, NOW)), ['new']);
  // same ready time: restarts decide
  assert.deepEqual(names(podsToDelete([pod('calm'), pod('crashy', { restarts: 4 })], [], 1, NOW)), ['crashy']);
  // same everything but creation age
  assert.deepEqual(names(podsToDelete([pod('older', { age: 100_000 }), pod('newer', { age: 50 })], [], 1, NOW)), ['newer']);
  // deleting as many as there are returns all
  assert.equal(podsToDelete([pod('a'), pod('b')], [], 5, NOW).length, 2);
});
