// Tests for the /openapi/v2 and /openapi/v3 documents: index covers every group-version, content
// hashes, kubectl's server-side field validation detection (patch operation with GVK + fieldValidation),
// explain's needs (kind paths and schemas with GVK), and refs that all resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../registry.js';
import type { ResourceType, Verb } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { createOpenAPIService } from './index.js';

function rt(group: string, version: string, kind: string, plural: string, namespaced: boolean, subresources: ResourceType['subresources'] = []): ResourceType {
  return {
    group, version, kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames: [], categories: [],
    namespaced, verbs: [...ALL_VERBS] as Verb[], subresources, storage: { group, resource: plural }, storageVersion: version,
    hasStatus: subresources.some((s) => s.name === 'status'),
  };
}

function registry(): Registry {
  const r = new Registry();
  r.register(rt('', 'v1', 'Pod', 'pods', true, [
    { name: 'status', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
    { name: 'exec', kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
  ]));
  r.register(rt('', 'v1', 'Namespace', 'namespaces', false));
  r.register(rt('apps', 'v1', 'Deployment', 'deployments', true, [
    { name: 'status', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  ]));
  r.register(rt('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true));
  r.register(rt('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true));
  r.register(rt('stable.example.com', 'v1', 'CronTab', 'crontabs', true));
  return r;
}

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

test('v3 index lists every group-version with a content hash', () => {
  const svc = createOpenAPIService(registry());
  const index = svc.v3Index() as { paths: Record<string, { serverRelativeURL: string }> };
  for (const key of ['api', 'apis', 'version', 'api/v1', 'apis/apps', 'apis/apps/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/stable.example.com/v1']) {
    const entry = index.paths[key];
    assert.ok(entry, key);
    const doc = svc.v3(key);
    assert.ok(doc, key);
    assert.match(entry.serverRelativeURL, new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`));
    assert.equal(entry.serverRelativeURL.split('hash=')[1], doc.hash);
  }
  assert.equal(svc.v3('apis/nope/v1'), undefined);
  assert.equal(svc.v3('/apis/apps/v1')?.hash, svc.v3('apis/apps/v1')?.hash);
});

test('documents are cached and rebuilt when the registry changes', () => {
  const r = registry();
  const svc = createOpenAPIService(r);
  const before = svc.v3('api/v1');
  assert.equal(svc.v3('api/v1'), before);
  r.register(rt('', 'v1', 'ConfigMap', 'configmaps', true));
  const after = svc.v3('api/v1');
  assert.notEqual(after?.hash, before?.hash);
  assert.ok((JSON.parse(after?.json ?? '{}') as Doc).paths['/api/v1/namespaces/{namespace}/configmaps/{name}']);
});

test('every patch operation advertises GVK and fieldValidation (kubectl strict validation)', () => {
  const svc = createOpenAPIService(registry());
  const cases: [string, string, { group: string; version: string; kind: string }][] = [
    ['api/v1', '/api/v1/namespaces/{namespace}/pods/{name}', { group: '', version: 'v1', kind: 'Pod' }],
    ['api/v1', '/api/v1/namespaces/{name}', { group: '', version: 'v1', kind: 'Namespace' }],
    ['api/v1', '/api/v1/namespaces/{namespace}/pods/{name}/status', { group: '', version: 'v1', kind: 'Pod' }],
    ['apis/apps/v1', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', { group: 'apps', version: 'v1', kind: 'Deployment' }],
    ['apis/apps/v1', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    ['apis/stable.example.com/v1', '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}', { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }],
  ];
  for (const [doc, path, gvk] of cases) {
    const d = JSON.parse(svc.v3(doc)?.json ?? '{}') as Doc;
    const patch = d.paths[path]?.patch;
    assert.ok(patch, `${doc} ${path}`);
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], gvk);
    assert.equal(patch['x-kubernetes-action'], 'patch');
    const names = (patch.parameters as { name: string; in: string; schema: unknown }[]).map((p) => p.name);
    assert.deepEqual(names, ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    const fv = patch.parameters.find((p: { name: string }) => p.name === 'fieldValidation');
    assert.deepEqual([fv.in, fv.schema], ['query', { type: 'string', uniqueItems: true }]);
    assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
    assert.ok(patch.requestBody.content['application/apply-patch+yaml']);
  }
});

test('v3 documents carry what kubectl explain needs, and every $ref resolves', () => {
  const svc = createOpenAPIService(registry());
  for (const key of Object.keys((svc.v3Index() as { paths: object }).paths)) {
    const d = JSON.parse(svc.v3(key)?.json ?? '{}') as Doc & { openapi: string };
    assert.equal(d.openapi, '3.0.0');
    const text = svc.v3(key)?.json ?? '';
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      assert.ok(d.components.schemas[m[1]], `${key}: dangling ref ${m[1]}`);
    }
    assert.ok(!text.includes('#/definitions/'), key);
  }
  const core = JSON.parse(svc.v3('api/v1')?.json ?? '{}') as Doc;
  const list = core.paths['/api/v1/namespaces/{namespace}/pods'];
  assert.deepEqual(list.get['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.equal(list.get['x-kubernetes-action'], 'list');
  assert.equal(list.post['x-kubernetes-action'], 'post');
  assert.equal(list.delete['x-kubernetes-action'], 'deletecollection');
  assert.ok(core.paths['/api/v1/pods'].get);
  assert.equal(core.paths['/api/v1/namespaces'].get['x-kubernetes-action'], 'list');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].post['x-kubernetes-action'], 'connect');
  const pod = core.components.schemas['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(pod.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
  assert.ok(pod.properties.spec.description);
  const containers = core.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.deepEqual(list.get.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/io.k8s.api.core.v1.PodList' });
  // A type without a built-in schema (CRD) still gets a permissive kind schema with its GVK.
  const crd = JSON.parse(svc.v3('apis/stable.example.com/v1')?.json ?? '{}') as Doc;
  const ct = crd.components.schemas['com.example.stable.v1.CronTab'];
  assert.equal(ct['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(ct['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }]);
});

test('v2 document: swagger 2.0 with definitions, body parameters and GVKs', () => {
  const svc = createOpenAPIService(registry());
  const d = JSON.parse(svc.v2()) as { swagger: string; paths: Record<string, Record<string, any>>; definitions: Record<string, any> };
  assert.equal(d.swagger, '2.0');
  const patch = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(patch.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
  assert.ok(patch.parameters.some((p: { name: string; type: string }) => p.name === 'fieldValidation' && p.type === 'string'));
  assert.deepEqual(d.definitions['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.equal(d.definitions['io.k8s.api.core.v1.Pod'].properties.spec.$ref, '#/definitions/io.k8s.api.core.v1.PodSpec');
  for (const m of svc.v2().matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(d.definitions[m[1]], m[1]);
  assert.equal(svc.v2(), svc.v2());
});

test('v3 describes IntOrString and Quantity with oneOf; v2 protobuf is cached and non-empty', () => {
  const svc = createOpenAPIService(registry());
  const apps = JSON.parse(svc.v3('apis/apps/v1')?.json ?? '{}') as Doc;
  assert.deepEqual(apps.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.deepEqual(apps.components.schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf, [{ type: 'string' }, { type: 'number' }]);
  const pb = svc.v2Protobuf();
  assert.ok(pb.length > 100_000);
  assert.equal(pb[0], 0x0a); // field 1 (swagger), length-delimited
  assert.equal(svc.v2Protobuf(), pb);
});
