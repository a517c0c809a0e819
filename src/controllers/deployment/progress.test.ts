// Unit tests for rollout progress: ReplicaSetUpdated refreshes lastUpdateTime but keeps the transition
// time, a rollout idle past progressDeadlineSeconds becomes ProgressDeadlineExceeded, and a stuck
// rollout is requeued for just after its deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { syncRolloutStatus, requeueStuckDeployment } from './progress.js';
import { dep, fakeWorld, rs } from './testing.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function progressing(reason: string, at: number): Deployment {
  const d = dep(2);
  return { ...d, spec: { ...d.spec!, progressDeadlineSeconds: 10 }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'True', reason, message: 'm', lastUpdateTime: iso(at), lastTransitionTime: iso(at) }] } };
}

test('syncRolloutStatus: progress refreshes lastUpdateTime, keeps lastTransitionTime', async () => {
  const w = fakeWorld(T0 + 5000);
  const d = progressing('NewReplicaSetCreated', T0);
  const newRS = rs('d-new', 2, 0);
  await syncRolloutStatus(w, [rs('d-old', 0, 0), newRS], newRS, d);
  const c = w.deployment?.status?.conditions?.find((x) => x.type === 'Progressing');
  assert.deepEqual([c?.reason, c?.message, c?.lastUpdateTime, c?.lastTransitionTime], ['ReplicaSetUpdated', 'ReplicaSet "d-new" is progressing.', iso(T0 + 5000), iso(T0)]);
});

test('syncRolloutStatus: no progress past the deadline → ProgressDeadlineExceeded', async () => {
  const w = fakeWorld(T0 + 11_000);
  const d = progressing('ReplicaSetUpdated', T0);
  Object.assign(d.status!, { replicas: 1, updatedReplicas: 1 }); // the same as last time: no progress
  const newRS = { ...rs('d-new', 2, 0), status: { replicas: 1 } };
  await syncRolloutStatus(w, [rs('d-old', 0, 0), newRS], newRS, d);
  const c = w.deployment?.status?.conditions?.find((x) => x.type === 'Progressing');
  assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "d-new" has timed out progressing.']);
});

test('requeueStuckDeployment: after the deadline plus a second; nothing for complete or timed-out rollouts', () => {
  const d = progressing('ReplicaSetUpdated', T0);
  assert.deepEqual(requeueStuckDeployment(d, d.status!, T0 + 4000), { kind: 'requeueAfter', ms: 7000 });
  assert.deepEqual(requeueStuckDeployment(d, d.status!, T0 + 9500), { kind: 'requeueAfter', ms: 600 });
  assert.equal(requeueStuckDeployment(progressing('ProgressDeadlineExceeded', T0), d.status!, T0).kind, 'done');
  const complete = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
  assert.equal(requeueStuckDeployment(d, complete, T0).kind, 'done');
});
