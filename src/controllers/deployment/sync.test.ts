// Unit tests for the strategy-independent sync: proportional scaling of a resize mid-rollout, the
// single-active-RS resize, paused/resumed conditions, computed status and the Available condition,
// revision-history clean-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { calculateStatus, checkPausedConditions, cleanupDeployment, scale } from './sync.js';
import { dep, fakeWorld, rs } from './testing.js';

const sized = (desired: number, max: number) => ({ 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(max) });

test('scale: a resize mid-rollout is spread proportionally (10 → 15: old 8 → 12, new 5 → 7)', async () => {
  const w = fakeWorld();
  const d = dep(15); // 25%: surge ceil(3.75) = 4 → 19 pods allowed, 6 more than the 13 now
  const old = rs('old', 8, 8, sized(10, 13), '2024-01-01T00:00:00Z');
  const cur = rs('new', 5, 0, sized(10, 13), '2024-01-02T00:00:00Z');
  await scale(w, d, cur, [old]);
  assert.equal(w.rss.get('old')?.spec?.replicas, 12); // round(8*19/13) - 8 = +4
  assert.equal(w.rss.get('new')?.spec?.replicas, 7); // round(5*19/13) - 5 = +2
  assert.equal(w.rss.get('new')?.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '19');
  assert.deepEqual(w.events.sort(), ['Normal ScalingReplicaSet Scaled up replica set new from 5 to 7', 'Normal ScalingReplicaSet Scaled up replica set old from 8 to 12']);
});

test('scale: scaling down mid-rollout takes from the larger (older on ties) and never below zero', async () => {
  const w = fakeWorld();
  const d = dep(2, 0, 1); // surge 0 → 2 allowed
  await scale(w, d, rs('new', 5, 0, sized(10, 10), '2024-01-02T00:00:00Z'), [rs('old', 5, 5, sized(10, 10), '2024-01-01T00:00:00Z')]);
  const total = (w.rss.get('old')?.spec?.replicas ?? 0) + (w.rss.get('new')?.spec?.replicas ?? 0);
  assert.equal(total, 2);
  assert.equal(w.rss.get('old')?.spec?.replicas, 1);
  assert.equal(w.rss.get('new')?.spec?.replicas, 1);
});

test('scale: with one active RS the resize just follows spec.replicas', async () => {
  const w = fakeWorld();
  await scale(w, dep(7), rs('new', 3, 3, sized(3, 4)), [rs('old', 0, 0)]);
  assert.equal(w.rss.get('new')?.spec?.replicas, 7);
  assert.equal(w.rss.has('old'), false);
  assert.deepEqual(w.events, ['Normal ScalingReplicaSet Scaled up replica set new from 3 to 7']);
});

test('checkPausedConditions: DeploymentPaused while paused, DeploymentResumed after, nothing after a timeout', async () => {
  const w = fakeWorld();
  const d: Deployment = { ...dep(1), spec: { ...dep(1).spec!, paused: true }, status: {} };
  await checkPausedConditions(w, d);
  const p = d.status?.conditions?.find((c) => c.type === 'Progressing');
  assert.deepEqual([p?.status, p?.reason, p?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
  const resumed: Deployment = { ...d, spec: { ...d.spec!, paused: false } };
  await checkPausedConditions(w, resumed);
  const r = resumed.status?.conditions?.find((c) => c.type === 'Progressing');
  assert.deepEqual([r?.status, r?.reason, r?.message], ['Unknown', 'DeploymentResumed', 'Deployment is resumed']);
  const timedOut: Deployment = { ...d, status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } };
  await checkPausedConditions(w, timedOut);
  assert.equal(timedOut.status?.conditions?.[0].reason, 'ProgressDeadlineExceeded');
});

test('calculateStatus: counts from the RSs, Available by maxUnavailable, zero counts omitted', () => {
  const d = { ...dep(4, 1, 1), metadata: { ...dep(4).metadata, generation: 7 } };
  const s = calculateStatus([rs('old', 1, 1), rs('new', 4, 2)], rs('new', 4, 2), d, Date.parse('2024-01-01T00:00:00Z'));
  assert.deepEqual([s.observedGeneration, s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas], [7, 5, 4, 3, 3, 2]);
  const a = s.conditions?.find((c) => c.type === 'Available');
  assert.deepEqual([a?.status, a?.reason, a?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
  const low = calculateStatus([rs('new', 4, 2)], rs('new', 4, 2), d, 0);
  assert.equal(low.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
  const empty = calculateStatus([rs('new', 0, 0)], rs('new', 0, 0), dep(0), 0);
  assert.equal('replicas' in empty, false);
});

test('cleanupDeployment: deletes the lowest revisions beyond the limit, only idle ones', async () => {
  const w = fakeWorld();
  const rev = (n: number) => ({ 'deployment.kubernetes.io/revision': String(n) });
  const olds = [rs('r1', 0, 0, rev(1)), rs('r2', 1, 1, rev(2)), rs('r3', 0, 0, rev(3)), rs('r4', 0, 0, rev(4))];
  await cleanupDeployment(w, olds, { ...dep(1), spec: { ...dep(1).spec!, revisionHistoryLimit: 1 } });
  // 4 old, limit 1: the 3 lowest are candidates, r2 still has a pod.
  assert.deepEqual(w.deleted, ['r1', 'r3']);
});
