// Tests for the SchemaNode view of the generated definitions and unknown-field detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaFor, findUnknownFields, definitions } from './index.js';
import type { SchemaNode } from '../../machinery/schema-node.js';

function at(node: SchemaNode | undefined, ...path: string[]): SchemaNode {
  let cur = node;
  for (const p of path) {
    assert.ok(cur, `missing schema before ${p}`);
    cur = p === '[]' ? cur.items : cur.property(p);
  }
  assert.ok(cur, `missing schema at ${path.join('.')}`);
  return cur;
}

test('definitions are named as upstream with special scalar types', () => {
  const d = definitions();
  assert.deepEqual(d['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
  assert.deepEqual(
    [d['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, d['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format],
    ['string', 'int-or-string'],
  );
  assert.equal(d['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
  assert.equal(d['io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime'].format, 'date-time');
  assert.equal(d['io.k8s.apimachinery.pkg.runtime.RawExtension'].type, 'object');
  assert.deepEqual(d['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'Deployment', version: 'v1' },
  ]);
  assert.deepEqual(d['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(d['io.k8s.api.core.v1.Container'].required, ['name']);
  assert.ok(d['io.k8s.api.core.v1.Container'].description?.startsWith('A single application container'));
  assert.ok(d['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition']);
});

test('Deployment navigates to containers with upstream merge keys', () => {
  const d = schemaFor('apps', 'v1', 'Deployment');
  assert.ok(d);
  assert.equal(d.type, 'object');
  const containers = at(d, 'spec', 'template', 'spec', 'containers');
  assert.equal(containers.type, 'array');
  assert.equal(containers.patchMergeKey, 'name');
  assert.deepEqual(containers.patchStrategy, ['merge']);
  assert.equal(containers.listType, 'map');
  assert.deepEqual(containers.listMapKeys, ['name']);
  const ports = at(containers, '[]', 'ports');
  assert.equal(ports.patchMergeKey, 'containerPort');
  assert.deepEqual(ports.listMapKeys, ['containerPort', 'protocol']);
  assert.equal(at(containers, '[]', 'image').type, 'string');
  assert.deepEqual(at(d, 'spec', 'template', 'spec', 'volumes').patchStrategy, ['merge', 'retainKeys']);
  assert.deepEqual(at(d, 'spec', 'strategy').patchStrategy, ['retainKeys']);
  assert.equal(at(d, 'status', 'conditions').patchMergeKey, 'type');
  assert.equal(at(d, 'spec', 'selector').mapType, 'atomic');
  assert.equal(at(d, 'spec', 'selector', 'matchExpressions').listType, 'atomic');
});

test('table of list and map semantics', () => {
  const rows: { gvk: [string, string, string]; path: string[]; listType?: string; keys?: string[]; key?: string; strategy?: string[] }[] = [
    { gvk: ['', 'v1', 'Pod'], path: ['metadata', 'finalizers'], listType: 'set', strategy: ['merge'] },
    { gvk: ['', 'v1', 'Pod'], path: ['metadata', 'ownerReferences'], listType: 'map', keys: ['uid'], key: 'uid' },
    { gvk: ['', 'v1', 'Pod'], path: ['spec', 'tolerations'], listType: 'atomic' },
    { gvk: ['', 'v1', 'Pod'], path: ['spec', 'containers', '[]', 'env'], listType: 'map', keys: ['name'], key: 'name' },
    { gvk: ['', 'v1', 'Pod'], path: ['spec', 'containers', '[]', 'volumeMounts'], key: 'mountPath' },
    { gvk: ['', 'v1', 'Pod'], path: ['spec', 'containers', '[]', 'command'], listType: 'atomic' },
    { gvk: ['', 'v1', 'Pod'], path: ['status', 'podIPs'], key: 'ip' },
    { gvk: ['', 'v1', 'Service'], path: ['spec', 'ports'], listType: 'map', keys: ['port', 'protocol'], key: 'port' },
    { gvk: ['', 'v1', 'Node'], path: ['status', 'addresses'], key: 'type' },
    { gvk: ['batch', 'v1', 'Job'], path: ['status', 'conditions'], listType: 'atomic', key: 'type' },
    { gvk: ['', 'v1', 'Pod'], path: ['spec', 'topologySpreadConstraints'], keys: ['topologyKey', 'whenUnsatisfiable'] },
  ];
  for (const r of rows) {
    const n = at(schemaFor(...r.gvk), ...r.path);
    const where = `${r.gvk[2]}.${r.path.join('.')}`;
    if (r.listType) assert.equal(n.listType, r.listType, where);
    if (r.keys) assert.deepEqual(n.listMapKeys, r.keys, where);
    if (r.key) assert.equal(n.patchMergeKey, r.key, where);
    if (r.strategy) assert.deepEqual(n.patchStrategy, r.strategy, where);
  }
});

test('maps, int-or-string and free-form nodes', () => {
  const pod = schemaFor('', 'v1', 'Pod');
  const labels = at(pod, 'metadata', 'labels');
  assert.equal(labels.type, 'object');
  assert.equal(labels.additionalProperties?.type, 'string');
  assert.deepEqual(labels.propertyNames(), []);
  const port = at(pod, 'spec', 'containers', '[]', 'livenessProbe', 'httpGet', 'port');
  assert.equal(port.type, undefined);
  assert.equal(port.preserveUnknownFields, false);
  assert.equal(at(pod, 'metadata', 'managedFields', '[]', 'fieldsV1').preserveUnknownFields, true);
  assert.equal(at(schemaFor('apps', 'v1', 'ControllerRevision'), 'data').preserveUnknownFields, true);
  assert.equal(schemaFor('example.com', 'v1', 'Nope'), undefined);
  // recursive schemas resolve lazily
  const crd = schemaFor('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition');
  const props = at(crd, 'spec', 'versions', '[]', 'schema', 'openAPIV3Schema', 'properties');
  assert.equal(props.additionalProperties?.property('properties')?.type, 'object');
});

test('findUnknownFields', () => {
  const deployment = schemaFor('apps', 'v1', 'Deployment');
  assert.ok(deployment);
  const valid = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': 'c' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '500m', memory: 1024 }, requests: { cpu: 1 } },
            livenessProbe: { httpGet: { port: 'http', path: '/' } },
            env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          }],
          nodeSelector: { disk: 'ssd' },
        },
      },
    },
    status: { conditions: [{ type: 'Available', status: 'True' }] },
  };
  assert.deepEqual(findUnknownFields(valid, deployment), []);

  const bad = structuredClone(valid);
  Object.assign(bad.spec, { replicass: 2 });
  Object.assign(bad.metadata, { nam: 'x' });
  Object.assign(bad.spec.template.spec.containers[0], { imagee: 'x' });
  Object.assign(bad.spec.template.spec.containers[0].ports[0], { hostPortt: 1 });
  Object.assign(bad.spec.strategy.rollingUpdate, { maxSurgee: 1 });
  assert.deepEqual(findUnknownFields(bad, deployment).sort(), [
    'metadata.nam',
    'spec.replicass',
    'spec.strategy.rollingUpdate.maxSurgee',
    'spec.template.spec.containers[0].imagee',
    'spec.template.spec.containers[0].ports[0].hostPortt',
  ]);

  // RawExtension / free-form content is accepted as-is
  const cr = schemaFor('apps', 'v1', 'ControllerRevision');
  assert.ok(cr);
  assert.deepEqual(findUnknownFields({ revision: 1, data: { anything: { goes: [1] } } }, cr), []);
  assert.deepEqual(findUnknownFields({ revision: 1, extra: true }, cr), ['extra']);
  // no schema → nothing to report
  assert.deepEqual(findUnknownFields({ a: 1 }, undefined), []);
  // map of structs: values are checked
  const cm = schemaFor('', 'v1', 'ConfigMap');
  assert.ok(cm);
  assert.deepEqual(findUnknownFields({ data: { 'a.b': 'c' }, binaryData: { x: 'AA==' } }, cm), []);
});

test('atomic maps and structs', () => {
  assert.equal(at(schemaFor('', 'v1', 'Pod'), 'spec', 'nodeSelector').mapType, 'atomic');
  assert.equal(at(schemaFor('', 'v1', 'Service'), 'spec', 'selector').mapType, 'atomic');
  assert.equal(at(schemaFor('rbac.authorization.k8s.io', 'v1', 'RoleBinding'), 'roleRef').mapType, 'atomic');
  assert.equal(at(schemaFor('', 'v1', 'Pod'), 'metadata', 'labels').mapType, undefined);
  assert.equal(at(schemaFor('', 'v1', 'Pod'), 'spec', 'containers', '[]', 'env', '[]', 'valueFrom', 'configMapKeyRef').mapType, 'atomic');
});
