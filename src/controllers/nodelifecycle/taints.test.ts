// Unit tests for node health bookkeeping, the managed taints and toleration timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { observeHealth, unknownConditions } from './health.js';
import { noExecuteKey, noScheduleKeys, reconcileTaints, tolerationSeconds, TAINT_NOT_READY, TAINT_UNREACHABLE } from './taints.js';

const node = (ready?: { status: string; hb: string }, extra: Partial<Node['spec']> = {}): Node => ({
  metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { ...extra },
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      ...(ready ? [{ type: 'Ready', status: ready.status, reason: 'KubeletReady', lastHeartbeatTime: ready.hb, lastTransitionTime: ready.hb }] : []),
    ],
  },
});
const lease = (renewTime: string): Lease => ({ metadata: { name: 'n', namespace: 'kube-node-lease' }, spec: { renewTime } });

test('health: a lease renewal or a new Ready heartbeat moves the probe; nothing else does', () => {
  const n = node({ status: 'True', hb: '2026-01-01T00:00:00Z' });
  let h = observeHealth(undefined, n, lease('2026-01-01T00:00:01.000000Z'), 1000);
  assert.equal(h.probeTimestamp, 1000);
  h = observeHealth(h, n, lease('2026-01-01T00:00:01.000000Z'), 5000);
  assert.equal(h.probeTimestamp, 1000, 'same lease, same heartbeat: stale');
  h = observeHealth(h, n, lease('2026-01-01T00:00:09.000000Z'), 6000);
  assert.equal(h.probeTimestamp, 6000, 'lease renewed');
  h = observeHealth(h, node({ status: 'True', hb: '2026-01-01T00:00:10Z' }), lease('2026-01-01T00:00:09.000000Z'), 7000);
  assert.equal(h.probeTimestamp, 7000, 'status heartbeat');
  h = observeHealth(h, node({ status: 'True', hb: '2026-01-01T00:00:10Z' }), undefined, 9000);
  assert.equal(h.probeTimestamp, 7000, 'a missing lease is not a heartbeat');
});

test('health: silent conditions become Unknown with upstream reasons; missing ones are added', () => {
  const conds = unknownConditions(node({ status: 'True', hb: '2026-01-01T00:00:00Z' }), Date.parse('2026-01-01T00:01:00Z'))!;
  const ready = conds.find((c) => c.type === 'Ready')!;
  assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.equal(ready.lastHeartbeatTime, '2026-01-01T00:00:00Z', 'the heartbeat time is kept');
  assert.equal(ready.lastTransitionTime, '2026-01-01T00:01:00Z');
  const disk = conds.find((c) => c.type === 'DiskPressure')!;
  assert.deepEqual([disk.status, disk.reason, disk.message], ['Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.']);
  assert.equal(unknownConditions({ ...node(), status: { conditions: conds } }, 0), undefined, 'already Unknown: no write');
});

test('taints: NoExecute follows Ready, NoSchedule follows conditions and unschedulable; other taints are kept', () => {
  assert.equal(noExecuteKey('Unknown', false), TAINT_UNREACHABLE);
  assert.equal(noExecuteKey('False', false), TAINT_NOT_READY);
  assert.equal(noExecuteKey('True', false), undefined);
  assert.equal(noExecuteKey('Unknown', true), undefined, 'every node down: no evictions');
  const n = node({ status: 'Unknown', hb: 'x' }, { unschedulable: true });
  assert.deepEqual(noScheduleKeys(n).sort(), [TAINT_UNREACHABLE, 'node.kubernetes.io/unschedulable']);
  const user: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const t = reconcileTaints([user], TAINT_UNREACHABLE, [TAINT_UNREACHABLE], 0)!;
  assert.deepEqual(t.map((x) => `${x.key}:${x.effect}`), ['dedicated:NoSchedule', `${TAINT_UNREACHABLE}:NoSchedule`, `${TAINT_UNREACHABLE}:NoExecute`]);
  assert.equal(t[2]!.timeAdded, '1970-01-01T00:00:00Z');
  assert.equal(reconcileTaints(t, TAINT_UNREACHABLE, [TAINT_UNREACHABLE], 5), undefined, 'nothing to change');
  const swapped = reconcileTaints(t, TAINT_NOT_READY, [TAINT_NOT_READY], 0)!;
  assert.deepEqual(swapped.map((x) => `${x.key}:${x.effect}`), ['dedicated:NoSchedule', `${TAINT_NOT_READY}:NoSchedule`, `${TAINT_NOT_READY}:NoExecute`]);
  assert.deepEqual(reconcileTaints(swapped, undefined, [], 0), [user], 'recovered: only the user taint remains');
});

test('tolerations: untolerated → now; the smallest tolerationSeconds of the matching tolerations; none → forever', () => {
  const unreach: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
  const other: Taint = { key: 'maintenance', effect: 'NoExecute' };
  assert.equal(tolerationSeconds([], undefined), -1);
  assert.equal(tolerationSeconds([unreach], undefined), 0);
  assert.equal(tolerationSeconds([unreach], [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), 300);
  assert.equal(tolerationSeconds([unreach], [{ operator: 'Exists' }]), -1, 'tolerate everything forever');
  assert.equal(
    tolerationSeconds([unreach, other], [
      { key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 300 },
      { key: 'maintenance', operator: 'Exists', tolerationSeconds: 20 },
    ]),
    20,
  );
  assert.equal(tolerationSeconds([unreach, other], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 300 }]), 0, 'maintenance not tolerated');
  assert.equal(tolerationSeconds([unreach], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: -5 }]), 0);
});
