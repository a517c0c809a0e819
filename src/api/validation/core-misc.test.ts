import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';
import { podTemplate } from './fixtures.test-util.js';

const obj = (o: object) => o as KubeObject;

test('Namespace', () => {
  const v = getValidator('', 'Namespace');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } })), []);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'team.a' } }))), [
    `metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  ]);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'a' }, spec: { finalizers: ['custom'] } }))), ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
});

test('Node', () => {
  const v = getValidator('', 'Node');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } })), []);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.244.0.0/99'], taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', effect: '' }] } }))), [
    'spec.podCIDRs[0]: Invalid value: "10.244.0.0/99": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    'spec.taints[1].effect: Required value',
  ]);
  const old = obj({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.244.0.0/24'] } });
  assert.deepEqual(v.validateUpdate(obj({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.244.0.0/24'], unschedulable: true } }), old), []);
  assert.deepEqual(lines(v.validateUpdate(obj({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.244.1.0/24'] } }), old)), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
});

test('ReplicationController', () => {
  const v = getValidator('', 'ReplicationController');
  const rc = (selector: Record<string, string>, labels: Record<string, string>, replicas = 1) => obj({ metadata: { name: 'rc' }, spec: { replicas, selector, template: podTemplate(labels) } });
  assert.deepEqual(v.validate(rc({ app: 'web' }, { app: 'web' })), []);
  assert.deepEqual(lines(v.validate(rc({ app: 'x' }, { app: 'web' }, -1))), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(lines(v.validate(rc({}, { app: 'web' }))), ['spec.selector: Required value']);
});

test('PodTemplate', () => {
  const v = getValidator('', 'PodTemplate');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'pt' }, template: podTemplate() })), []);
  const t = podTemplate();
  t.spec!.containers = [];
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'pt' }, template: t }))), ['template.spec.containers: Required value']);
});

test('ResourceQuota', () => {
  const v = getValidator('', 'ResourceQuota');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'count/deployments.apps': '5', 'example.com/gpu': '2' } } })), []);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'q' }, spec: { hard: { widgets: '1', pods: '-1', services: '1.5' } } }))), [
    'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
    'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
    'spec.hard[services]: Invalid value: "1500m": must be an integer',
  ]);
});

test('LimitRange', () => {
  const v = getValidator('', 'LimitRange');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '1' }, defaultRequest: { cpu: '500m' } }] } })), []);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '2' } }, { type: 'Pod', default: { cpu: '1' } }] } }))), [
    'spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1',
    "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
  ]);
});

test('Endpoints', () => {
  const v = getValidator('', 'Endpoints');
  assert.deepEqual(v.validate(obj({ metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80, protocol: 'TCP' }] }] })), []);
  assert.deepEqual(lines(v.validate(obj({ metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: 'x' }], ports: [{ port: 80, protocol: 'TCP' }, { name: 'b', port: 0, protocol: 'TCP' }] }, {}] }))), [
    'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address',
    'subsets[0].ports[0].name: Required value',
    'subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
  ]);
});

test('Events', () => {
  const core = getValidator('', 'Event');
  assert.deepEqual(core.validate(obj({ metadata: { name: 'e.1', namespace: 'default' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' } })), []);
  assert.deepEqual(lines(core.validate(obj({ metadata: { name: 'e.1', namespace: 'default' }, involvedObject: { namespace: 'other' } }))), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  const ev = getValidator('events.k8s.io', 'Event');
  const good = { metadata: { name: 'e', namespace: 'default' }, eventTime: '2024-01-01T00:00:00.000000Z', type: 'Normal', reportingController: 'example.com/ctl', reportingInstance: 'i', action: 'Act', reason: 'R', regarding: { namespace: 'default' } };
  assert.deepEqual(ev.validate(obj(good)), []);
  assert.deepEqual(lines(ev.validate(obj({ ...good, type: 'Bad', action: '' }))), ['action: Required value', 'type: Invalid value: "": has invalid value: Bad']);
});

test('PersistentVolumeClaim', () => {
  const v = getValidator('', 'PersistentVolumeClaim');
  const pvc = (spec: object, status?: object) => obj({ metadata: { name: 'c' }, spec, status });
  const good = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' };
  assert.deepEqual(v.validate(pvc(good)), []);
  assert.deepEqual(lines(v.validate(pvc({ resources: {} }))), ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  assert.deepEqual(lines(v.validate(pvc({ ...good, accessModes: ['ReadWriteSometimes'] }))), [
    'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
  ]);
  assert.deepEqual(lines(v.validateUpdate(pvc({ ...good, accessModes: ['ReadWriteMany'] }), pvc(good))), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  const bound = { phase: 'Bound' };
  assert.deepEqual(v.validateUpdate(pvc({ ...good, resources: { requests: { storage: '2Gi' } } }, bound), pvc(good, bound)), []);
  assert.deepEqual(lines(v.validateUpdate(pvc({ ...good, resources: { requests: { storage: '500Mi' } } }, bound), pvc(good, bound))), [
    'spec.resources.requests.storage: Forbidden: field can not be less than previous value',
  ]);
  assert.deepEqual(v.validateUpdate(pvc({ ...good, volumeName: 'pv-1' }), pvc(good)), []);
});

test('PersistentVolume', () => {
  const v = getValidator('', 'PersistentVolume');
  const pv = (spec: object) => obj({ metadata: { name: 'pv' }, spec });
  const good = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/data' } };
  assert.deepEqual(v.validate(pv(good)), []);
  assert.deepEqual(lines(v.validate(pv({ accessModes: ['ReadWriteOnce'] }))), [
    'spec.capacity: Required value',
    'spec.capacity: Unsupported value: core.ResourceList{}: supported values: "storage"',
    'spec: Required value: must specify a volume type',
  ]);
  assert.deepEqual(lines(v.validate(pv({ ...good, nfs: { server: 's', path: '/x' } }))), ['spec.nfs: Forbidden: may not specify more than 1 volume type']);
  assert.deepEqual(lines(v.validateUpdate(pv({ ...good, hostPath: { path: '/other' } }), pv(good))), ['spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation']);
});
