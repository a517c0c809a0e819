// Unit tests for simulated pod status: durations, exit annotations, restart policy semantics and the
// Running / terminated status shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseDuration, simExit, restartsAfterExit, runningStatus, stopDelayMs, terminatedStatus } from './pod-status.js';

test('parseDuration', () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    ['2s', 2000], ['1500ms', 1500], ['1m30s', 90_000], ['1h', 3_600_000], ['3', 3000], ['0.5s', 500],
    ['', undefined], ['abc', undefined], ['2x', undefined], ['s', undefined], [undefined, undefined],
  ];
  for (const [s, want] of cases) assert.equal(parseDuration(s), want, String(s));
});

test('simExit reads the annotations; the code defaults to 0', () => {
  const pod = (a: Record<string, string>): Pod => ({ metadata: { annotations: a } });
  assert.deepEqual(simExit(pod({ 'sim.skiff.dev/exit-after': '2s', 'sim.skiff.dev/exit-code': '1' })), { afterMs: 2000, code: 1 });
  assert.deepEqual(simExit(pod({ 'sim.skiff.dev/exit-after': '2s' })), { afterMs: 2000, code: 0 });
  assert.equal(simExit(pod({ 'sim.skiff.dev/exit-code': '1' })), undefined);
});

test('restartsAfterExit follows restartPolicy', () => {
  const cases: Array<[string | undefined, number, boolean]> = [
    ['Never', 0, false], ['Never', 1, false], ['OnFailure', 0, false], ['OnFailure', 2, true], ['Always', 0, true], ['Always', 1, true], [undefined, 0, true],
  ];
  for (const [p, code, want] of cases) assert.equal(restartsAfterExit(p, code), want, `${p} ${code}`);
});

test('runningStatus and terminatedStatus', () => {
  const pod: Pod = {
    metadata: { uid: 'u1' },
    spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] },
  };
  const t0 = Date.UTC(2026, 0, 1);
  const r = runningStatus(pod, '198.18.0.1', '10.42.0.2', { startedMs: t0, restartCount: 1, last: { code: 1, startedMs: t0 - 5000, finishedMs: t0 } }, t0);
  assert.equal(r.phase, 'Running');
  assert.equal(r.startTime, '2026-01-01T00:00:00Z');
  assert.deepEqual(r.containerStatuses?.map((c) => [c.name, c.ready, c.restartCount, c.containerID]), [['a', true, 1, 'sim://u1-a-1'], ['b', true, 1, 'sim://u1-b-1']]);
  assert.equal(r.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
  assert.equal(r.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
  assert.ok(r.conditions?.every((c) => c.status === 'True'));
  const done = terminatedStatus({ ...pod, status: r }, '198.18.0.1', '10.42.0.2', { startedMs: t0, restartCount: 1 }, 137, t0 + 1000);
  assert.equal(done.phase, 'Failed');
  assert.equal(done.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
  assert.equal(done.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
  const ready = done.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'False');
  assert.equal(ready?.reason, 'PodCompleted');
  assert.equal(done.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, '2026-01-01T00:00:00Z', 'unchanged conditions keep their transition time');
});

test('stopDelayMs: 1 s after SIGTERM by default, the annotation otherwise, never past the grace period', () => {
  const pod = (grace: number, stopAfter?: string): Pod => ({
    metadata: { deletionGracePeriodSeconds: grace, annotations: stopAfter ? { 'sim.skiff.dev/stop-after': stopAfter } : {} },
  });
  assert.equal(stopDelayMs(pod(30)), 1000);
  assert.equal(stopDelayMs(pod(30, '1h')), 30_000);
  assert.equal(stopDelayMs(pod(30, '200ms')), 200);
  assert.equal(stopDelayMs(pod(0)), 0);
});
