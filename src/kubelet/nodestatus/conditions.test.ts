// Node conditions from readings: thresholds, upstream reasons/messages, stable lastTransitionTime,
// and the events a transition produces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { computeConditions, readReadings, type Readings } from './conditions.js';

const Mi = 2 ** 20;
const healthy: Readings = { memAvailableBytes: 2048 * Mi, nodefsAvailableBytes: 50e9, nodefsCapacityBytes: 100e9, inodesFree: 900, inodes: 1000, pidMax: 32768, pidsInUse: 200 };
const T0 = Date.parse('2024-05-01T10:00:00Z');
const T1 = T0 + 10_000;

test('healthy node: all False and Ready True with upstream reasons; every condition is a first transition', () => {
  const { conditions, events } = computeConditions(undefined, healthy, { ready: true }, T0);
  assert.deepEqual(conditions.map((c) => [c.type, c.status, c.reason, c.message]), [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ]);
  assert.ok(conditions.every((c) => c.lastHeartbeatTime === '2024-05-01T10:00:00Z' && c.lastTransitionTime === '2024-05-01T10:00:00Z'));
  assert.deepEqual(events, ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']);
});

test('unchanged status keeps lastTransitionTime; heartbeat moves; no events', () => {
  const first = computeConditions(undefined, healthy, { ready: true }, T0).conditions;
  const { conditions, events } = computeConditions(first, healthy, { ready: true }, T1);
  assert.deepEqual(events, []);
  for (const c of conditions) {
    assert.equal(c.lastTransitionTime, '2024-05-01T10:00:00Z');
    assert.equal(c.lastHeartbeatTime, '2024-05-01T10:00:10Z');
  }
});

test('thresholds: memory < 100Mi, nodefs < 10% or inodes < 5%, PIDs < 5% free; not ready', () => {
  const first = computeConditions(undefined, healthy, { ready: true }, T0).conditions;
  const cases: Array<[Partial<Readings>, string, string, string]> = [
    [{ memAvailableBytes: 99 * Mi }, 'MemoryPressure', 'KubeletHasInsufficientMemory', 'NodeHasInsufficientMemory'],
    [{ nodefsAvailableBytes: 9.9e9 }, 'DiskPressure', 'KubeletHasDiskPressure', 'NodeHasDiskPressure'],
    [{ inodesFree: 49 }, 'DiskPressure', 'KubeletHasDiskPressure', 'NodeHasDiskPressure'],
    [{ pidsInUse: 31200 }, 'PIDPressure', 'KubeletHasInsufficientPID', 'NodeHasInsufficientPID'],
  ];
  for (const [over, type, reason, event] of cases) {
    const { conditions, events } = computeConditions(first, { ...healthy, ...over }, { ready: true }, T1);
    const c = conditions.find((x) => x.type === type)!;
    assert.equal(c.status, 'True', type);
    assert.equal(c.reason, reason);
    assert.equal(c.lastTransitionTime, '2024-05-01T10:00:10Z');
    assert.deepEqual(events, [event]);
  }
  // exactly at the thresholds there is no pressure
  const edge = computeConditions(first, { ...healthy, memAvailableBytes: 100 * Mi, nodefsAvailableBytes: 10e9, inodesFree: 50, pidsInUse: 32768 - 1639 }, { ready: true }, T1);
  assert.deepEqual(edge.events, []);
  const nr = computeConditions(first, healthy, { ready: false, message: 'container runtime is down' }, T1);
  assert.deepEqual(nr.conditions[3], { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down', lastHeartbeatTime: '2024-05-01T10:00:10Z', lastTransitionTime: '2024-05-01T10:00:10Z' });
  assert.deepEqual(nr.events, ['NodeNotReady']);
});

test('readReadings reads this host', () => {
  const r = readReadings(tmpdir());
  assert.ok(r.memAvailableBytes > 0);
  assert.ok(r.nodefsCapacityBytes >= r.nodefsAvailableBytes && r.nodefsAvailableBytes > 0);
  assert.ok(r.pidMax > 0 && r.pidsInUse > 0 && r.pidsInUse < r.pidMax);
});
