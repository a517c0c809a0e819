// Integration: the client/ pieces against a real in-process API server — the HTTP client's CRUD and
// Status errors, and a configmap informer's handlers, resume after a cut watch and relist after
// compaction (410 Expired) with deletes for objects that vanished meanwhile; leader election on a real Lease.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './harness.js';
import { KubeClient, type ResourceRef } from '../../src/client/http-client.js';
import { SharedInformer } from '../../src/client/informer.js';
import { LeaderElector } from '../../src/client/leader-election.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { NAMESPACE_INDEX, namespaceIndexFunc } from '../../src/client/store.js';
import { StatusError } from '../../src/machinery/errors.js';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';

let ts: TestServer;
let client: KubeClient;
const cms = (namespace?: string, name?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'configmaps', namespace, name });
const cm = (name: string, v: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });

async function until(cond: () => boolean, what: string, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
});
after(async () => {
  client.close();
  await ts.close();
});

test('client: create/get/list/update/patch/delete and StatusError from the server Status', async () => {
  const created = await client.create(cms('default'), cm('c1', '1'));
  assert.equal(created.metadata?.name, 'c1');
  const got = await client.get<ConfigMap>(cms('default', 'c1'));
  assert.equal(got.data?.v, '1');
  const updated = await client.update(cms('default', 'c1'), { ...got, data: { v: '2' } });
  assert.notEqual(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);
  const patched = await client.patch<ConfigMap>(cms('default', 'c1'), { data: { w: 'x' } });
  assert.deepEqual(patched.data, { v: '2', w: 'x' });
  const list = await client.list<ConfigMap>(cms('default'));
  assert.ok(list.items.some((i) => i.metadata?.name === 'c1'));
  await assert.rejects(client.update(cms('default', 'c1'), got), (e: unknown) => e instanceof StatusError && e.code === 409 && e.reason === 'Conflict');
  await client.delete(cms('default', 'c1'));
  await assert.rejects(client.get(cms('default', 'c1')), (e: unknown) => e instanceof StatusError && e.code === 404 && e.reason === 'NotFound' && /configmaps "c1" not found/.test(e.message));
});

test('informer: paged list, add/update/delete handlers, resume after cut watch, relist after compaction', async () => {
  await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inf' } }).catch(() => undefined);
  for (let i = 0; i < 5; i++) await client.create(cms('inf'), cm(`pre-${i}`, String(i)));

  const inf = new SharedInformer<ConfigMap>(client, cms('inf'), { pageSize: 2, watchTimeoutSeconds: 1, indexers: { [NAMESPACE_INDEX]: namespaceIndexFunc } });
  const log: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => log.push(`add ${o.metadata?.name}`),
    onUpdate: (a, b) => log.push(`update ${b.metadata?.name} ${a.data?.v}->${b.data?.v}`),
    onDelete: (o) => log.push(`delete ${o.metadata?.name}`),
  });
  inf.start();
  try {
    await inf.waitForSync();
    assert.ok(inf.hasSynced());
    assert.equal(inf.store.size, 5, 'all pages listed');
    assert.equal(inf.store.byIndex(NAMESPACE_INDEX, 'inf').length, 5);
    assert.ok(Object.isFrozen(inf.store.get('inf/pre-0')));

    log.length = 0;
    await client.create(cms('inf'), cm('a', '1'));
    await until(() => log.includes('add a'), 'add a');
    const a = await client.get<ConfigMap>(cms('inf', 'a'));
    await client.update(cms('inf', 'a'), { ...a, data: { v: '2' } });
    await until(() => log.includes('update a 1->2'), 'update a');
    await client.delete(cms('inf', 'pre-0'));
    await until(() => log.includes('delete pre-0'), 'delete pre-0');

    // The server ends each watch after 1 s; changes after that arrive through the resumed watch.
    const rvBefore = inf.lastSyncResourceVersion();
    await new Promise((r) => setTimeout(r, 1300));
    await client.create(cms('inf'), cm('after-cut', '1'));
    await until(() => log.includes('add after-cut'), 'add after the watch was cut');
    assert.equal(log.filter((l) => l === 'add a').length, 1, 'no replayed adds after resume');
    assert.notEqual(inf.lastSyncResourceVersion(), rvBefore);

    // Stop, change the world, compact past the informer's resourceVersion: the restart's watch gets
    // 410 Expired and the informer relists, deleting what vanished and adding what appeared.
    inf.stop();
    await client.delete(cms('inf', 'pre-1'));
    await client.create(cms('inf'), cm('while-stopped', '1'));
    // The watch cache keeps the last 1000 events per resource in memory: push the informer's
    // resourceVersion out of that window (configmaps in another namespace count too) so the watch reaches the (compacted) storage.
    for (let batch = 0; batch < 21; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => client.create(cms('default'), cm(`filler-${batch}-${i}`, ''))));
    }
    const list = await client.list(cms('inf'));
    await ts.storage.compact(Number(list.metadata.resourceVersion) as never);
    log.length = 0;
    inf.start();
    await until(() => log.includes('delete pre-1') && log.includes('add while-stopped'), 'relist after compaction');
    assert.ok(log.includes('update pre-2 2->2'), 'objects still present are updated by the relist');
    assert.equal(inf.store.get('inf/pre-1'), undefined);
    assert.equal(inf.store.size, list.items.length);
  } finally {
    inf.stop();
  }
});

test('leader election: acquires a real Lease, renews it, releases it on stop', async () => {
  const log: string[] = [];
  const le = new LeaderElector({
    client,
    namespace: 'default',
    name: 'it-lock',
    identity: 'it-1',
    retryPeriodMs: 50,
    onStartedLeading: () => log.push('started'),
    onStoppedLeading: () => log.push('stopped'),
  });
  const done = le.run();
  await until(() => le.isLeader(), 'leadership');
  const ref = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'default', name: 'it-lock' };
  const first = await client.get<Lease>(ref);
  assert.equal(first.spec?.holderIdentity, 'it-1');
  assert.equal(first.spec?.leaseDurationSeconds, 15);
  await until(() => false, 'nothing', 150).catch(() => undefined); // let it renew a few times
  const renewed = await client.get<Lease>(ref);
  assert.notEqual(renewed.spec?.renewTime, first.spec?.renewTime);
  le.stop();
  await done;
  const released = await client.get<Lease>(ref);
  assert.ok(!released.spec?.holderIdentity);
  assert.deepEqual(log, ['started', 'stopped']);
});
