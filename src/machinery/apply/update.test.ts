import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../object.js';
import { configMapSchema, deploymentSchema } from './fixtures.js';
import { managerFromUserAgent, recordUpdate } from './update.js';

const T1 = new Date('2026-11-22T11:23:39.456Z');
const T2 = new Date('2026-11-22T12:00:00Z');

function deployment(replicas: number, image = 'nginx'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', generation: 1, labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: {},
  };
}

const mf = (o: KubeObject): ManagedFieldsEntry[] => o.metadata?.managedFields ?? [];

test('recordUpdate on create owns every set field (meta and status excluded), exact fieldsV1', () => {
  const obj = deployment(1);
  recordUpdate({ old: undefined, updated: obj, manager: 'kubectl-create', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  assert.deepEqual(mf(obj), [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-22T11:23:39Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:strategy': { 'f:rollingUpdate': { 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                '.': {},
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': {
                    '.': {},
                    'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
                  },
                },
              },
              'f:restartPolicy': {},
            },
          },
        },
      },
    },
  ]);
});

test('recordUpdate: another manager takes changed fields silently; unchanged writes keep time; empty entries go', () => {
  const created = deployment(1);
  recordUpdate({ old: undefined, updated: created, manager: 'kubectl-create', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });

  const scaled = structuredClone(created);
  (scaled.spec as { replicas: number }).replicas = 3;
  recordUpdate({ old: created, updated: scaled, manager: 'kubectl-scale', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
  const [create, scale] = mf(scaled);
  assert.equal(create!.manager, 'kubectl-create');
  assert.equal((create!.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:replicas'], undefined);
  assert.deepEqual(scale, {
    manager: 'kubectl-scale',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2026-11-22T12:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  });

  // A write that changes nothing records nothing for its manager.
  const same = structuredClone(scaled);
  recordUpdate({ old: scaled, updated: same, manager: 'other', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
  assert.deepEqual(mf(same), mf(scaled));

  // kubectl-create loses its only field → its entry disappears.
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  recordUpdate({ old: undefined, updated: cm, manager: 'one', schema: configMapSchema, apiVersion: 'v1', now: T1 });
  assert.deepEqual(mf(cm)[0]!.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
  const cm2 = structuredClone(cm);
  cm2.data = { a: '2' };
  recordUpdate({ old: cm, updated: cm2, manager: 'two', schema: configMapSchema, apiVersion: 'v1', now: T2 });
  assert.deepEqual(
    mf(cm2).map((e) => [e.manager, e.fieldsV1]),
    [
      ['one', { 'f:data': {} }],
      ['two', { 'f:data': { 'f:a': {} } }],
    ],
  );
  const cm3 = structuredClone(cm2);
  delete cm3.data;
  recordUpdate({ old: cm2, updated: cm3, manager: 'three', schema: configMapSchema, apiVersion: 'v1', now: T2 });
  assert.equal(cm3.metadata?.managedFields, undefined);
});

test('recordUpdate: status subresource writes own status only, under subresource "status"', () => {
  const obj = deployment(1);
  recordUpdate({ old: undefined, updated: obj, manager: 'kubectl-create', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const withStatus = structuredClone(obj);
  withStatus.status = { replicas: 1, observedGeneration: 1 };
  recordUpdate({
    old: obj,
    updated: withStatus,
    manager: 'kube-controller-manager',
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    subresource: 'status',
    now: T2,
  });
  const entry = mf(withStatus).find((e) => e.manager === 'kube-controller-manager');
  assert.deepEqual(entry, {
    manager: 'kube-controller-manager',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2026-11-22T12:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } },
    subresource: 'status',
  });
  // Status written through the main resource is not tracked.
  const viaMain = structuredClone(obj);
  viaMain.status = { replicas: 5 };
  recordUpdate({ old: obj, updated: viaMain, manager: 'x', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
  assert.equal(mf(viaMain).find((e) => e.manager === 'x'), undefined);
});

test('recordUpdate: managedFields sent by the client replace the stored ones ([{}] resets)', () => {
  const obj = deployment(1);
  recordUpdate({ old: undefined, updated: obj, manager: 'kubectl-create', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
  const reset = structuredClone(obj);
  reset.metadata!.managedFields = [{}];
  recordUpdate({ old: obj, updated: reset, manager: 'kubectl-edit', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
  assert.equal(reset.metadata?.managedFields, undefined);
  // An empty list means "client does not know about managedFields": the stored ones are kept.
  const keep = structuredClone(obj);
  keep.metadata!.managedFields = [];
  recordUpdate({ old: obj, updated: keep, manager: 'kubectl-edit', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
  assert.deepEqual(mf(keep), mf(obj));
});

test('recordUpdate: more than 10 Update managers fold the oldest into ancient-changes', () => {
  let cur: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
  for (let i = 0; i < 12; i++) {
    const next = structuredClone(cur);
    (next.data as Record<string, string>)[`k${i}`] = 'v';
    recordUpdate({ old: cur, updated: next, manager: `m${i}`, schema: configMapSchema, apiVersion: 'v1', now: new Date(T1.getTime() + i * 1000) });
    cur = next;
  }
  const managers = mf(cur).map((e) => e.manager);
  assert.equal(managers.length, 10);
  assert.equal(managers.includes('ancient-changes'), true);
  assert.equal(managers.includes('m0'), false);
  assert.equal(managers.includes('m11'), true);
});

test('managerFromUserAgent takes the part before the first "/"', () => {
  const cases: [string | undefined, string][] = [
    ['kubectl/v1.31.0 (linux/amd64) kubernetes/abc', 'kubectl'],
    ['kube-controller-manager/v1.31.0', 'kube-controller-manager'],
    ['curl', 'curl'],
    [undefined, ''],
    ['a\u0001b/1', 'ab'],
    ['x'.repeat(200), 'x'.repeat(128)],
  ];
  for (const [ua, want] of cases) assert.equal(managerFromUserAgent(ua), want);
});
