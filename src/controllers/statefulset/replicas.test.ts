// Unit tests for one round of StatefulSet pod work against a fake pod control: what OrderedReady and
// Parallel create, the scale-down order, the rolling update down to the partition, OnDelete, and the
// status a round reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { updateReplicas, slowStartBatch, type PodControl } from './replicas.js';
import { newVersionedStatefulSetPod } from './utils.js';
import { makeSet } from './fixtures.js';

const rev = (name: string, revision: number): ControllerRevision => ({ metadata: { name }, revision, data: {} });
const CUR = rev('web-a', 1);
const UPD = rev('web-b', 2);

function fakeControl() {
  const calls: string[] = [];
  const control: PodControl = {
    recorder: { event: (_o, _t, reason) => void calls.push(`event ${reason}`), flush: async () => {} },
    createStatefulPod: async (_s, p) => void calls.push(`create ${p.metadata?.name}`),
    deleteStatefulPod: async (_s, p) => void calls.push(`delete ${p.metadata?.name}`),
    updateStatefulPod: async (_s, p) => void calls.push(`update ${p.metadata?.name}`),
    createPersistentVolumeClaims: async () => {},
    podClaimIsStale: () => false,
    claimsMatchRetentionPolicy: () => true,
    updatePodClaimForRetentionPolicy: async () => {},
  };
  return { calls, control };
}

/** A created pod of `ordinal` at `revision`, Running+Ready unless told otherwise. */
function pod(set: StatefulSet, ordinal: number, revision = CUR.metadata!.name!, state: 'ready' | 'pending' | 'terminating' | 'failed' = 'ready'): Pod {
  const p = newVersionedStatefulSetPod(set, set, revision, revision, ordinal);
  const status = { phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running', conditions: [{ type: 'Ready', status: state === 'ready' || state === 'terminating' ? 'True' : 'False' }] };
  const metadata = state === 'terminating' ? { ...p.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } : p.metadata;
  return { ...p, metadata, status };
}

async function round(set: StatefulSet, pods: Pod[], current = CUR, update = CUR) {
  const { calls, control } = fakeControl();
  const r = await updateReplicas({ set, pods, currentRevision: current, updateRevision: update, collisionCount: 0, podControl: control, now: Date.now() });
  assert.equal(r.error, undefined);
  return { calls, status: r.status };
}

test('OrderedReady creates the lowest missing ordinal only, and only once its predecessors are ready', async () => {
  const set = makeSet(3);
  assert.deepEqual((await round(set, [])).calls, ['create web-0']);
  assert.deepEqual((await round(set, [pod(set, 0, undefined, 'pending')])).calls, []);
  const r = await round(set, [pod(set, 0)]);
  assert.deepEqual(r.calls, ['create web-1']);
  assert.deepEqual([r.status.replicas, r.status.readyReplicas, r.status.currentReplicas], [2, 1, 2]);
  // A hole is refilled first: web-1 deleted while web-2 runs.
  assert.deepEqual((await round(set, [pod(set, 0), pod(set, 2)])).calls, ['create web-1']);
});

test('Parallel creates every missing pod in one round, ready or not', async () => {
  const set = makeSet(4, { podManagementPolicy: 'Parallel' });
  const { calls } = await round(set, [pod(set, 1, undefined, 'pending')]);
  assert.deepEqual(calls.sort(), ['create web-0', 'create web-2', 'create web-3']);
});

test('scale-down deletes the highest ordinal, waiting for it to terminate', async () => {
  const set = makeSet(1);
  const three = [pod(set, 0), pod(set, 1), pod(set, 2)];
  assert.deepEqual((await round(set, three)).calls, ['delete web-2']);
  assert.deepEqual((await round(set, [pod(set, 0), pod(set, 1), pod(set, 2, undefined, 'terminating')])).calls, []);
  assert.deepEqual((await round(set, [pod(set, 0), pod(set, 1)])).calls, ['delete web-1']);
  // Nothing is deleted while a remaining replica is unhealthy.
  assert.deepEqual((await round(set, [pod(set, 0, undefined, 'pending'), pod(set, 1)])).calls, []);
  // Parallel deletes every condemned pod at once.
  const par = makeSet(1, { podManagementPolicy: 'Parallel' });
  assert.deepEqual((await round(par, [pod(par, 0), pod(par, 1), pod(par, 2)])).calls, ['delete web-2', 'delete web-1']);
});

test('rolling update deletes the highest pod not at the update revision, down to the partition', async () => {
  const set = makeSet(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
  const r1 = await round(set, [pod(set, 0), pod(set, 1), pod(set, 2)], CUR, UPD);
  assert.deepEqual(r1.calls, ['delete web-2']);
  assert.deepEqual([r1.status.currentRevision, r1.status.updateRevision, r1.status.currentReplicas, r1.status.updatedReplicas], ['web-a', 'web-b', 2, 0]);
  // web-2 recreated at the update revision but not ready yet: wait.
  assert.deepEqual((await round(set, [pod(set, 0), pod(set, 1), pod(set, 2, 'web-b', 'pending')], CUR, UPD)).calls, []);
  assert.deepEqual((await round(set, [pod(set, 0), pod(set, 1), pod(set, 2, 'web-b')], CUR, UPD)).calls, ['delete web-1']);
  // At the partition: web-0 stays at the current revision.
  const done = await round(set, [pod(set, 0), pod(set, 1, 'web-b'), pod(set, 2, 'web-b')], CUR, UPD);
  assert.deepEqual(done.calls, []);
  assert.deepEqual([done.status.currentReplicas, done.status.updatedReplicas], [1, 2]);
});

test('OnDelete never deletes for an update; a failed pod is deleted to be recreated', async () => {
  const set = makeSet(2, { updateStrategy: { type: 'OnDelete' } });
  assert.deepEqual((await round(set, [pod(set, 0), pod(set, 1)], CUR, UPD)).calls, []);
  assert.deepEqual((await round(set, [pod(set, 0, undefined, 'failed'), pod(set, 1)])).calls, ['event RecreatingFailedPod', 'delete web-0']);
});

test('a set being deleted only reports status', async () => {
  const base = makeSet(3);
  const set: StatefulSet = { ...base, metadata: { ...base.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
  const r = await round(set, [pod(set, 0)]);
  assert.deepEqual(r.calls, []);
  assert.equal(r.status.replicas, 1);
});

test('slowStartBatch runs 1, 2, 4… at a time and stops after a failing batch', async () => {
  const seen: number[] = [];
  await assert.rejects(
    slowStartBatch(10, async (i) => {
      seen.push(i);
      if (i === 2) throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(seen, [0, 1, 2]);
});
