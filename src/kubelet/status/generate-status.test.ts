import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus as ApiContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/types.js';
import { containerStatus, generatePodStatus, podPhase, type ContainerView } from './generate-status.js';

const pod = (restartPolicy: string, init: string[] = [], containers = ['c']): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { restartPolicy, initContainers: init.map((name) => ({ name, image: 'busybox' })), containers: containers.map((name) => ({ name, image: 'busybox' })) },
});
const run = (name: string): ApiContainerStatus => ({ name, image: '', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: 'x' } } });
const exited = (name: string, exitCode: number): ApiContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
const backoff = (name: string, exitCode: number): ApiContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode } } });
const waiting = (name: string): ApiContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } });

test('podPhase follows upstream getPhase', () => {
  const cases: Array<[string, Pod, ApiContainerStatus[], ApiContainerStatus[], boolean, string]> = [
    ['waiting container', pod('Always'), [], [waiting('c')], false, 'Pending'],
    ['running', pod('Always'), [], [run('c')], false, 'Running'],
    ['init running', pod('Always', ['i']), [run('i')], [waiting('c')], false, 'Pending'],
    ['init failed, Never', pod('Never', ['i']), [exited('i', 1)], [waiting('c')], false, 'Failed'],
    ['init failed, restarting', pod('Always', ['i']), [backoff('i', 1)], [waiting('c')], false, 'Pending'],
    ['all succeeded, OnFailure', pod('OnFailure'), [], [exited('c', 0)], false, 'Succeeded'],
    ['failed, Never', pod('Never'), [], [exited('c', 2)], false, 'Failed'],
    ['failed, Always restarts', pod('Always'), [], [backoff('c', 2)], false, 'Running'],
    ['failed, OnFailure restarts', pod('OnFailure'), [], [backoff('c', 2)], false, 'Running'],
    ['exited 0, Always, deleted', pod('Always'), [], [exited('c', 0)], true, 'Succeeded'],
    ['exited 137, Always, deleted', pod('Always'), [], [exited('c', 137)], true, 'Failed'],
    ['unknown container', pod('Always', [], ['a', 'b']), [], [run('a')], false, 'Pending'],
  ];
  for (const [name, p, init, regular, terminal, want] of cases) assert.equal(podPhase(p, init, regular, terminal), want, name);
});

const rt = (over: Partial<ContainerStatus>): ContainerStatus => ({ id: 'id1', podUid: 'u1', name: 'c', attempt: 0, state: 'running', image: 'busybox', imageId: 'sha256:1', createdAt: new Date('2026-12-07T10:00:00Z'), startedAt: new Date('2026-12-07T10:00:01Z'), logPath: '/l', ...over });

test('a crashed container waiting for its restart shows CrashLoopBackOff and the exit as lastState', () => {
  const v: ContainerView = {
    latest: rt({ state: 'exited', attempt: 2, exitCode: 137, reason: 'OOMKilled', finishedAt: new Date('2026-12-07T10:00:05Z') }),
    waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=c pod=p_default(u1)' },
    ready: false,
    image: 'docker.io/library/busybox:latest',
    imageID: 'docker.io/library/busybox@sha256:abc',
  };
  const s = containerStatus('c', v);
  assert.deepEqual(s.state, { waiting: v.waiting });
  assert.equal(s.lastState?.terminated?.reason, 'OOMKilled');
  assert.equal(s.lastState?.terminated?.exitCode, 137);
  assert.equal(s.restartCount, 2);
  assert.equal(s.ready, false);
  assert.equal(s.containerID, 'runc://id1');
});

test('running and ready pod: conditions True, IPs, QoS; unready names the container', () => {
  const p: Pod = { ...pod('Always', [], ['a', 'b']), status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-12-07T09:00:00Z' }] } };
  const view = (ready: boolean, id: string): ContainerView => ({ latest: rt({ id, name: id }), ready, started: true, image: 'i', imageID: '' });
  const s = generatePodStatus({ pod: p, hostIP: '127.0.0.1', podIP: '10.42.0.5', sandboxReady: true, qosClass: 'BestEffort', init: new Map(), containers: new Map([['a', view(true, 'a')], ['b', view(false, 'b')]]), terminal: false, now: new Date('2026-12-07T10:00:10Z') });
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.42.0.5');
  assert.equal(s.qosClass, 'BestEffort');
  const cond = (t: string) => s.conditions?.find((c) => c.type === t);
  assert.equal(cond('PodReadyToStartContainers')?.status, 'True');
  assert.equal(cond('Initialized')?.status, 'True');
  assert.equal(cond('Ready')?.status, 'False');
  assert.equal(cond('Ready')?.message, 'containers with unready status: [b]');
  assert.equal(cond('PodScheduled')?.lastTransitionTime, '2026-12-07T09:00:00Z');
});

test('pending init containers: Initialized False with the incomplete names, regular containers PodInitializing', () => {
  const p = pod('Always', ['i1', 'i2'], ['c']);
  const s = generatePodStatus({ pod: p, hostIP: 'h', podIP: '10.42.0.6', sandboxReady: true, qosClass: 'BestEffort', init: new Map([['i1', { latest: rt({ id: 'x', name: 'i1' }), ready: false, image: 'i', imageID: '' }]]), containers: new Map([['c', { ready: false, image: 'i', imageID: '', waiting: { reason: 'PodInitializing' } }]]), terminal: false, now: new Date() });
  assert.equal(s.phase, 'Pending');
  const init = s.conditions?.find((c) => c.type === 'Initialized');
  assert.equal(init?.status, 'False');
  assert.equal(init?.message, 'containers with incomplete status: [i1 i2]');
  assert.equal(s.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
  assert.equal(s.initContainerStatuses?.[1]?.state?.waiting?.reason, 'PodInitializing');
});
