import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { ResourceRef } from '../../client/http-client.js';
import { estimateGracefulTermination, NamespacedResourcesDeleter, type DeleterClient } from './deleter.js';

test('estimateGracefulTermination: longest grace among non-terminal pods', () => {
  const pod = (grace: number | undefined, phase?: string): Pod => ({ spec: { containers: [], terminationGracePeriodSeconds: grace }, status: { phase } });
  const cases: Array<[Pod[], number]> = [
    [[], 0],
    [[pod(30), pod(10)], 30],
    [[pod(60, 'Succeeded'), pod(5, 'Running')], 5],
    [[pod(undefined), pod(90, 'Failed')], 0],
  ];
  for (const [pods, want] of cases) assert.equal(estimateGracefulTermination(pods), want);
});

/** A fake API: one namespace and objects per resource; records writes. */
function fakeClient(ns: Namespace, objects: Record<string, KubeObject[]>) {
  const writes: string[] = [];
  const notFound = () => new StatusError({ status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' });
  const client = {
    get: async (r: ResourceRef) => {
      if (r.resource !== 'namespaces' || !ns) throw notFound();
      return structuredClone(ns);
    },
    list: async (r: ResourceRef) => ({ metadata: {}, items: objects[r.resource] ?? [] }),
    delete: async (r: ResourceRef) => {
      writes.push(`delete ${r.resource}/${r.name}`);
      objects[r.resource] = (objects[r.resource] ?? []).filter((o) => o.metadata?.name !== r.name || (o.metadata?.finalizers ?? []).length > 0);
    },
    request: async (method: string, path: string, body?: unknown) => {
      writes.push(`${method} ${path}`);
      const m = /\/namespaces\/[^/]+\/([^/]+)$/.exec(path);
      if (method === 'DELETE' && m) objects[m[1]!] = (objects[m[1]!] ?? []).filter((o) => (o.metadata?.finalizers ?? []).length > 0);
      if (method === 'PUT') ns = body as Namespace;
      return body;
    },
  };
  return { client: client as unknown as DeleterClient, writes, ns: () => ns };
}

const terminating = (): Namespace => ({ metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
const resources = [
  { group: '', version: 'v1', resource: 'configmaps', verbs: ['delete', 'deletecollection', 'list'] },
  { group: 'example.com', version: 'v1', resource: 'widgets', verbs: ['delete', 'list'] },
];

test('deleter: empties every type (deletecollection or one by one), then finalizes', async () => {
  const f = fakeClient(terminating(), { configmaps: [{ metadata: { name: 'a' } }], widgets: [{ metadata: { name: 'w' } }] });
  const r = await new NamespacedResourcesDeleter(f.client, { resources }).delete('x');
  assert.deepEqual(r, { kind: 'done' });
  assert.deepEqual(f.writes, ['DELETE /api/v1/namespaces/x/configmaps', 'delete widgets/w', 'PUT /api/v1/namespaces/x/status', 'PUT /api/v1/namespaces/x/finalize']);
  assert.deepEqual(f.ns().spec?.finalizers, []);
});

test('deleter: content held by a finalizer → requeueAfter (bounded), not finalized', async () => {
  const f = fakeClient(terminating(), { configmaps: [{ metadata: { name: 'a', finalizers: ['hold'] } }] });
  const r = await new NamespacedResourcesDeleter(f.client, { resources, maxRecheckMs: 250 }).delete('x');
  assert.deepEqual(r, { kind: 'requeueAfter', ms: 250 });
  assert.ok(!f.writes.some((w) => w.endsWith('/finalize')));
  assert.equal(f.ns().status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining')?.status, 'True');
});

test('deleter: nothing to do for a live, finalized or missing namespace', async () => {
  const live = fakeClient({ metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] } }, { configmaps: [{ metadata: { name: 'a' } }] });
  assert.deepEqual(await new NamespacedResourcesDeleter(live.client, { resources }).delete('x'), { kind: 'done' });
  assert.deepEqual(live.writes, []);
  const finalized = fakeClient({ ...terminating(), spec: { finalizers: [] } }, {});
  assert.deepEqual(await new NamespacedResourcesDeleter(finalized.client, { resources }).delete('x'), { kind: 'done' });
  assert.deepEqual(finalized.writes, []);
  const missing = fakeClient(undefined as unknown as Namespace, {});
  assert.deepEqual(await new NamespacedResourcesDeleter(missing.client, { resources }).delete('x'), { kind: 'done' });
});
