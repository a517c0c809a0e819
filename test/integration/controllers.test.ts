// Integration: the namespace and service account controllers against a real in-process API server.
// Every namespace (the system ones included) gets a `default` ServiceAccount, recreated when deleted;
// deleting a namespace deletes its content, reports what remains in status.conditions while an
// object's finalizer holds it, and finally the namespace itself disappears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { startTestServer, type TestServer } from './harness.js';
import { KubeClient, type ResourceRef } from '../../src/client/http-client.js';
import { isStatusError } from '../../src/machinery/errors.js';
import { startControllers, type RunningControllers } from '../../src/controllers/index.js';

let ts: TestServer;
let client: KubeClient;
let controllers: RunningControllers;
const errors: string[] = [];

const core = (resource: string, namespace?: string, name?: string): ResourceRef => ({ group: '', version: 'v1', resource, namespace, name });
const deployments = (namespace: string): ResourceRef => ({ group: 'apps', version: 'v1', resource: 'deployments', namespace });

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const gone = async (r: ResourceRef) => {
  try {
    await client.get(r);
    return undefined;
  } catch (e) {
    return isStatusError(e) && e.code === 404 ? true : undefined;
  }
};

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  controllers = startControllers(client, {
    namespace: { maxRecheckMs: 100, onError: (k, e) => errors.push(`${k}: ${String(e)}`) },
    serviceAccount: { onError: (k, e) => errors.push(`${k}: ${String(e)}`) },
  });
  await controllers.synced;
});
after(async () => {
  await controllers.stop();
  client.close();
  await ts.close();
});

test('serviceaccounts: the system namespaces get a default ServiceAccount', async () => {
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    const sa = await eventually(`default SA in ${ns}`, () => client.get<ServiceAccount>(core('serviceaccounts', ns, 'default')));
    assert.equal(sa.metadata?.namespace, ns);
  }
});

test('namespace lifecycle: default SA appears and is recreated; deletion empties the namespace, then it disappears', async () => {
  await client.create<Namespace>(core('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  const sa = await eventually('default SA in doomed', () => client.get<ServiceAccount>(core('serviceaccounts', 'doomed', 'default')));
  await client.delete(core('serviceaccounts', 'doomed', 'default'));
  const again = await eventually('default SA recreated', async () => {
    const s = await client.get<ServiceAccount>(core('serviceaccounts', 'doomed', 'default'));
    return s.metadata?.uid !== sa.metadata?.uid ? s : undefined;
  });
  assert.equal(again.metadata?.name, 'default');

  for (let i = 0; i < 3; i++) {
    await client.create<ConfigMap>(core('configmaps', 'doomed'), { metadata: { name: `cm-${i}` }, data: { i: String(i) } });
    await client.create(core('secrets', 'doomed'), { metadata: { name: `s-${i}` }, stringData: { k: 'v' } });
    await client.create(core('pods', 'doomed'), { metadata: { name: `p-${i}` }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  }
  const labels = { app: 'web' };
  await client.create(deployments('doomed'), {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });

  await client.delete(core('namespaces', undefined, 'doomed'));
  await eventually('namespace doomed to disappear', () => gone(core('namespaces', undefined, 'doomed')), 9000);
  for (const r of [core('configmaps', 'doomed'), core('secrets', 'doomed'), core('pods', 'doomed'), core('serviceaccounts', 'doomed'), deployments('doomed')]) {
    assert.equal((await client.list(r)).items.length, 0, `${r.resource} left in doomed`);
  }
  assert.deepEqual(errors, []);
});

test('namespace deletion waits for content held by a finalizer and says so in status.conditions', async () => {
  await client.create<Namespace>(core('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' } });
  await client.create<ConfigMap>(core('configmaps', 'held'), { metadata: { name: 'keep', finalizers: ['example.com/hold'] } });
  await client.create<ConfigMap>(core('configmaps', 'held'), { metadata: { name: 'plain' } });
  await client.delete(core('namespaces', undefined, 'held'));

  const ns = await eventually('ContentRemaining condition', async () => {
    const n = await client.get<Namespace>(core('namespaces', undefined, 'held'));
    return n.status?.conditions?.some((c) => c.type === 'NamespaceContentRemaining' && c.status === 'True') ? n : undefined;
  });
  assert.equal(ns.status?.phase, 'Terminating');
  const cond = (t: string) => ns.status?.conditions?.find((c) => c.type === t);
  assert.deepEqual(
    { reason: cond('NamespaceContentRemaining')?.reason, message: cond('NamespaceContentRemaining')?.message },
    { reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps has 1 resource instances' },
  );
  assert.equal(cond('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
  assert.equal(cond('NamespaceDeletionDiscoveryFailure')?.status, 'False');
  assert.equal(cond('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
  assert.ok(await gone(core('configmaps', 'held', 'plain')), 'content without finalizers is gone');
  assert.deepEqual(ns.spec?.finalizers, ['kubernetes'], 'not finalized while content remains');

  await client.patch(core('configmaps', 'held', 'keep'), { metadata: { finalizers: null } });
  await eventually('namespace held to disappear', () => gone(core('namespaces', undefined, 'held')), 9000);
  assert.deepEqual(errors, []);
});
