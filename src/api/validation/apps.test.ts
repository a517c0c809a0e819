import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Deployment, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';
import { podTemplate } from './fixtures.test-util.js';

function deployment(mut: (d: Deployment) => void = () => {}): KubeObject {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: podTemplate(),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
  mut(d);
  return d as unknown as KubeObject;
}

const dv = getValidator('apps', 'Deployment');

const cases: Array<{ name: string; mut: (d: Deployment) => void; want: string[] }> = [
  { name: 'valid', mut: () => {}, want: [] },
  { name: 'selector mismatch', mut: (d) => (d.spec!.template.metadata!.labels = { app: 'x' }), want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'] },
  { name: 'negative replicas', mut: (d) => (d.spec!.replicas = -1), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'missing selector',
    mut: (d) => delete (d.spec as Partial<NonNullable<Deployment['spec']>>).selector,
    want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
  },
  { name: 'empty selector', mut: (d) => (d.spec!.selector = {}), want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'] },
  { name: 'restartPolicy Never', mut: (d) => (d.spec!.template.spec!.restartPolicy = 'Never'), want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'] },
  { name: 'both zero', mut: (d) => (d.spec!.strategy!.rollingUpdate = { maxUnavailable: 0, maxSurge: 0 }), want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'] },
  {
    name: 'bad percent',
    mut: (d) => (d.spec!.strategy!.rollingUpdate = { maxUnavailable: '120%', maxSurge: 'abc' }),
    want: [
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: abc: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 120%: must not be greater than 100%',
    ],
  },
  { name: 'recreate with rollingUpdate', mut: (d) => (d.spec!.strategy!.type = 'Recreate'), want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"] },
  { name: 'progressDeadlineSeconds', mut: (d) => ((d.spec!.minReadySeconds = 700)), want: ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'] },
  { name: 'revisionHistoryLimit', mut: (d) => (d.spec!.revisionHistoryLimit = -2), want: ['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0'] },
  { name: 'template missing containers', mut: (d) => (d.spec!.template.spec!.containers = []), want: ['spec.template.spec.containers: Required value'] },
  { name: 'template container missing image', mut: (d) => (d.spec!.template.spec!.containers[0]!.image = ''), want: ['spec.template.spec.containers[0].image: Required value'] },
];

for (const c of cases) {
  test(`Deployment validate: ${c.name}`, () => {
    assert.deepEqual(lines(dv.validate(deployment(c.mut))), c.want);
  });
}

test('Deployment update: selector immutable, replicas mutable', () => {
  assert.deepEqual(lines(dv.validateUpdate(deployment((d) => (d.spec!.replicas = 5)), deployment())), []);
  const changed = deployment((d) => {
    d.spec!.selector = { matchLabels: { app: 'web2' } };
    d.spec!.template.metadata!.labels = { app: 'web2' };
  });
  assert.deepEqual(lines(dv.validateUpdate(changed, deployment())), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});

test('ReplicaSet validate', () => {
  const v = getValidator('apps', 'ReplicaSet');
  const rs = (labels: Record<string, string>, replicas = 1) =>
    ({ metadata: { name: 'rs' }, spec: { replicas, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, template: podTemplate(labels) } }) as unknown as KubeObject;
  assert.deepEqual(v.validate(rs({ app: 'web' })), []);
  assert.deepEqual(lines(v.validate(rs({ app: 'db' }, -1))), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`',
  ]);
});

test('DaemonSet validate', () => {
  const v = getValidator('apps', 'DaemonSet');
  const ds = (mut: (d: DaemonSet) => void = () => {}) => {
    const d: DaemonSet = {
      metadata: { name: 'ds' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 },
    };
    mut(d);
    return d as unknown as KubeObject;
  };
  assert.deepEqual(v.validate(ds()), []);
  assert.deepEqual(lines(v.validate(ds((d) => (d.spec!.updateStrategy!.rollingUpdate = { maxUnavailable: 1, maxSurge: 1 })))), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
  ]);
  assert.deepEqual(lines(v.validate(ds((d) => (d.spec!.updateStrategy = { type: 'Sometimes' })))), [
    'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Sometimes"}: supported values: "RollingUpdate", "OnDelete"',
  ]);
});

test('StatefulSet validate and update', () => {
  const v = getValidator('apps', 'StatefulSet');
  const ss = (mut: (s: StatefulSet) => void = () => {}) => {
    const tpl = podTemplate();
    tpl.spec!.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data' }];
    const s: StatefulSet = {
      metadata: { name: 'db' },
      spec: {
        replicas: 1,
        serviceName: 'db',
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        selector: { matchLabels: { app: 'web' } },
        template: tpl,
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    mut(s);
    return s as unknown as KubeObject;
  };
  assert.deepEqual(lines(v.validate(ss())), []);
  assert.deepEqual(lines(v.validate(ss((s) => (s.spec!.podManagementPolicy = 'Random')))), ['spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\'']);
  assert.deepEqual(lines(v.validateUpdate(ss((s) => (s.spec!.replicas = 3)), ss())), []);
  assert.deepEqual(lines(v.validateUpdate(ss((s) => (s.spec!.serviceName = 'other')), ss())), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('ControllerRevision', () => {
  const v = getValidator('apps', 'ControllerRevision');
  const cr = (data: unknown, revision = 1) => ({ metadata: { name: 'cr' }, data, revision }) as KubeObject;
  assert.deepEqual(v.validate(cr({ a: 1 })), []);
  assert.deepEqual(lines(v.validate(cr(undefined, -1))), ['data: Required value: data is mandatory', 'revision: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(lines(v.validateUpdate(cr({ a: 2 }), cr({ a: 1 }))), ['data: Invalid value: {"a":2}: field is immutable']);
});
