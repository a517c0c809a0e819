import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';

const obj = (o: object) => o as KubeObject;

test('StorageClass', () => {
  const v = getValidator('storage.k8s.io', 'StorageClass');
  const sc = (o: object) => obj({ metadata: { name: 'fast' }, provisioner: 'example.com/csi', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', parameters: { type: 'ssd' }, ...o });
  assert.deepEqual(v.validate(sc({})), []);
  assert.deepEqual(lines(v.validate(sc({ provisioner: '', reclaimPolicy: 'Recycle' }))), ['provisioner: Required value', 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']);
  assert.deepEqual(lines(v.validateUpdate(sc({ parameters: { type: 'hdd' }, provisioner: 'example.com/other' }), sc({}))), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
  ]);
});

test('PodDisruptionBudget', () => {
  const v = getValidator('policy', 'PodDisruptionBudget');
  const pdb = (spec: object) => obj({ metadata: { name: 'p' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
  assert.deepEqual(v.validate(pdb({ minAvailable: '50%' })), []);
  assert.deepEqual(lines(v.validate(pdb({ minAvailable: 1, maxUnavailable: 1 }))), ['spec: Invalid value: policy.PodDisruptionBudgetSpec{…}: minAvailable and maxUnavailable cannot be both set']);
  assert.deepEqual(lines(v.validate(pdb({ maxUnavailable: '150%' }))), ['spec.maxUnavailable: Invalid value: 150%: must not be greater than 100%']);
  assert.deepEqual(lines(v.validate(pdb({ minAvailable: -1 }))), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
});

test('Lease', () => {
  const v = getValidator('coordination.k8s.io', 'Lease');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } })), []);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }))), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('PriorityClass', () => {
  const v = getValidator('scheduling.k8s.io', 'PriorityClass');
  const pc = (name: string, value: number) => obj({ metadata: { name }, value });
  assert.deepEqual(v.validate(pc('high', 1000)), []);
  assert.deepEqual(v.validate(pc('system-node-critical', 2000001000)), []);
  assert.deepEqual(lines(v.validate(pc('system-mine', 1))), ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]);
  assert.deepEqual(lines(v.validate(pc('huge', 2000000000))), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  assert.deepEqual(lines(v.validateUpdate(pc('high', 2), pc('high', 1))), ['value: Forbidden: may not be changed in an update.']);
});

test('EndpointSlice', () => {
  const v = getValidator('discovery.k8s.io', 'EndpointSlice');
  const es = (o: object) => obj({ metadata: { name: 'web-abc' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...o });
  assert.deepEqual(v.validate(es({})), []);
  assert.deepEqual(lines(v.validate(es({ addressType: 'IPv5' }))), ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']);
  assert.deepEqual(lines(v.validate(es({ endpoints: [{ addresses: [] }, { addresses: ['::1'] }] }))), [
    'endpoints[0].addresses: Required value: must contain at least 1 address',
    'endpoints[1].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
  ]);
  assert.deepEqual(lines(v.validateUpdate(es({ addressType: 'IPv6', endpoints: [] }), es({}))), ['addressType: Invalid value: "IPv6": field is immutable']);
});

test('HorizontalPodAutoscaler', () => {
  const v = getValidator('autoscaling', 'HorizontalPodAutoscaler');
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  const v2 = (spec: object) => obj({ apiVersion: 'autoscaling/v2', metadata: { name: 'h' }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, ...spec } });
  assert.deepEqual(v.validate(v2({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] })), []);
  assert.deepEqual(lines(v.validate(v2({ maxReplicas: 0 }))), [
    'spec.maxReplicas: Invalid value: 0: must be greater than or equal to 1',
    'spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`',
  ]);
  assert.deepEqual(lines(v.validate(v2({ minReplicas: 3, maxReplicas: 2, scaleTargetRef: { kind: '', name: 'web' } }))), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.kind: Required value',
  ]);
  assert.deepEqual(lines(v.validate(v2({ metrics: [{ type: 'Resource' }, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }))), [
    'spec.metrics[0].resource: Required value: must populate information for the given metric source',
    'spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
  ]);
  const v1 = obj({ apiVersion: 'autoscaling/v1', metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 0 } });
  assert.deepEqual(lines(v.validate(v1)), ['spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0']);
});
