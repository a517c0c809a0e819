// Conversions (events.k8s.io <-> core events, autoscaling v1 <-> v2) and per-type field selectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { builtinRegistry } from '../builtin.js';
import { coreToEventsV1, eventsV1ToCore } from './events-convert.js';
import { hpaV1ToV2, hpaV2ToV1 } from './autoscaling-strategy.js';

const reg = builtinRegistry();

test('events.k8s.io/v1 <-> core/v1 round trip', () => {
  const v1: KubeObject = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' },
    eventTime: '2026-11-22T11:23:39.123000Z', reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-n1',
    action: 'Binding', reason: 'Scheduled', regarding: { kind: 'Pod', name: 'p', namespace: 'default' }, note: 'assigned',
    type: 'Normal', deprecatedCount: 2, deprecatedSource: { component: 'x' },
  };
  const core = eventsV1ToCore(v1);
  assert.deepEqual(core, {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' },
    eventTime: '2026-11-22T11:23:39.123000Z', reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-n1',
    action: 'Binding', reason: 'Scheduled', involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, message: 'assigned',
    type: 'Normal', count: 2, source: { component: 'x' },
  });
  assert.deepEqual(coreToEventsV1(core), v1);
  const rt = reg.get('events.k8s.io', 'v1', 'events')!;
  assert.equal(rt.toStorage, eventsV1ToCore);
  const fs = rt.fieldSelectors!(v1);
  assert.equal(fs['involvedObject.name'], 'p');
  assert.equal(fs['regarding.kind'], 'Pod');
  assert.equal(fs.reportingComponent, 'default-scheduler');
});

test('autoscaling v1 -> v2 (stored) -> v1', () => {
  const v1: KubeObject = {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 70 },
  };
  const v2 = hpaV1ToV2(v1);
  assert.deepEqual(v2, {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
    status: {
      currentReplicas: 2, desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70 } } }],
    },
  });
  assert.deepEqual(hpaV2ToV1(v2), v1);
});

test('autoscaling v1 without a target reads back with the default 80% and keeps other metrics', () => {
  const v2 = hpaV1ToV2({ apiVersion: 'autoscaling/v1', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3 } });
  assert.equal((hpaV2ToV1(v2).spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage, 80);
  const withMemory: KubeObject = {
    apiVersion: 'autoscaling/v2', metadata: { name: 'h' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'w' }, minReplicas: 1, maxReplicas: 3,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
    },
  };
  const asV1 = hpaV2ToV1(withMemory);
  assert.equal((asV1.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage, 60);
  assert.ok(asV1.metadata?.annotations?.['autoscaling.alpha.kubernetes.io/metrics']);
  const back = hpaV1ToV2(asV1);
  assert.deepEqual(back.spec, withMemory.spec);
  assert.equal(back.metadata?.annotations, undefined);
});

test('field selectors as upstream', () => {
  const fs = (g: string, v: string, p: string, o: KubeObject) => reg.get(g, v, p)!.fieldSelectors!(o);
  assert.deepEqual(
    fs('', 'v1', 'pods', { spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] } }),
    {
      'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always', 'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false', 'status.phase': 'Running', 'status.podIP': '10.0.0.1', 'status.nominatedNodeName': '',
    },
  );
  assert.equal(fs('', 'v1', 'secrets', { type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
  assert.equal(fs('', 'v1', 'nodes', { spec: { unschedulable: true } })['spec.unschedulable'], 'true');
  assert.equal(fs('', 'v1', 'namespaces', { status: { phase: 'Terminating' } })['status.phase'], 'Terminating');
  assert.equal(fs('apps', 'v1', 'replicasets', { status: { replicas: 3 } })['status.replicas'], '3');
  assert.equal(fs('', 'v1', 'replicationcontrollers', {})['status.replicas'], '0');
  assert.equal(fs('batch', 'v1', 'jobs', { status: { succeeded: 1 } })['status.successful'], '1');
  const ev = fs('', 'v1', 'events', { involvedObject: { kind: 'Pod', name: 'p', uid: 'u' }, reason: 'Pulled', source: { component: 'kubelet' }, type: 'Normal' });
  assert.equal(ev['involvedObject.uid'], 'u');
  assert.equal(ev.source, 'kubelet');
  assert.equal(ev['involvedObject.namespace'], '');
  assert.equal(reg.get('', 'v1', 'configmaps')!.fieldSelectors, undefined);
});
