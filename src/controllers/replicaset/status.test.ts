import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { calculateStatus, statusUnchanged, REPLICA_FAILURE } from './status.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const pod = (labels: Record<string, string>, readySecondsAgo?: number): Pod => ({
  metadata: { labels },
  status: readySecondsAgo === undefined ? { phase: 'Pending' } : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - readySecondsAgo * 1000).toISOString() }] },
});
const input = { replicas: 3, minReadySeconds: 10, generation: 2, templateLabels: { app: 'web', tier: 'fe' }, status: undefined };

test('calculateStatus: replicas, fully labeled, ready and available (minReadySeconds)', () => {
  const pods = [pod({ app: 'web', tier: 'fe' }, 60), pod({ app: 'web' }, 5), pod({ app: 'web', tier: 'fe' })];
  const s = calculateStatus(input, pods, undefined, NOW);
  assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: undefined });
});

test('calculateStatus: ReplicaFailure set on a manage error with FailedCreate/FailedDelete, removed on success', () => {
  const err = new Error('pods "web-x" is forbidden: exceeded quota: q');
  const s = calculateStatus(input, [pod({ app: 'web' }, 60)], err, NOW);
  assert.deepEqual(s.conditions, [{ type: REPLICA_FAILURE, status: 'True', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'FailedCreate', message: err.message }]);
  const del = calculateStatus({ ...input, replicas: 0 }, [pod({ app: 'web' }, 60)], new Error('boom'), NOW);
  assert.equal(del.conditions?.[0].reason, 'FailedDelete');
  // an existing condition is kept as is while errors continue, removed once manage succeeds
  const again = calculateStatus({ ...input, status: s }, [], new Error('other'), NOW + 5000);
  assert.deepEqual(again.conditions, s.conditions);
  assert.equal(calculateStatus({ ...input, status: s }, [], undefined, NOW).conditions, undefined);
});

test('statusUnchanged: only a real change (or a new generation) is written', () => {
  const cur = { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3 };
  assert.ok(statusUnchanged(cur, { ...cur }, 3));
  assert.ok(!statusUnchanged(cur, { ...cur }, 4));
  assert.ok(!statusUnchanged(cur, { ...cur, readyReplicas: 1 }, 3));
  assert.ok(!statusUnchanged(undefined, { replicas: 0 }, 1));
  assert.ok(statusUnchanged({ replicas: 0, observedGeneration: 1 }, { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 }, 1));
});
