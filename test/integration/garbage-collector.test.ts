// Integration: the garbage collector against an in-process API server, on plain objects (ConfigMaps
// owning ConfigMaps, a ReplicaSet owning hand-made pods — no workload controller runs): background
// deletion of dependents whose owners are all gone, ownerReferences to absent owners stripped when
// another owner remains, foreground deletion held by a blocking dependent, orphaning, dangling
// references at creation, and a cross-namespace reference reported with OwnerRefInvalidNamespace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { GarbageCollector } from '../../src/controllers/garbagecollector/garbage-collector.js';
import { isStatusError } from '../../src/machinery/errors.js';
import type { MetaObject } from '../../src/client/store.js';

let c: TestCluster;
let gc: GarbageCollector;
const errors: string[] = [];
const cms = (ns = 'default', name?: string) => ref('', 'v1', 'configmaps', ns, name);

before(async () => {
  c = await startTestCluster({
    nodes: 0,
    scheduler: false,
    controllers: [(ctx) => (gc = new GarbageCollector(ctx, { onError: (k, e) => errors.push(`${k}: ${String(e)}`) })).run()],
  });
  await gc.ready;
  await c.client.create(ref('', 'v1', 'namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
});
after(async () => {
  await c.close();
});

async function cm(name: string, owners: MetaObject[] = [], opts: { ns?: string; block?: boolean; finalizers?: string[] } = {}): Promise<ConfigMap> {
  const ownerReferences: OwnerReference[] = owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata!.name!, uid: o.metadata!.uid!, ...(opts.block ? { blockOwnerDeletion: true } : {}) }));
  return c.client.create<ConfigMap>(cms(opts.ns), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(ownerReferences.length ? { ownerReferences } : {}), ...(opts.finalizers ? { finalizers: opts.finalizers } : {}) },
    data: { k: name },
  });
}
const get = (name: string, ns = 'default') =>
  c.client.get<ConfigMap>(cms(ns, name)).catch((e: unknown) => {
    if (isStatusError(e) && e.code === 404) return undefined;
    throw e;
  });
const isGone = async (name: string, ns = 'default') => (await get(name, ns)) === undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('background: dependents of a deleted owner are deleted, across two levels', async () => {
  const owner = await cm('bg-owner');
  const child = await cm('bg-child', [owner]);
  await cm('bg-grandchild', [child]);
  await c.client.delete(cms('default', 'bg-owner'));
  await eventually(() => isGone('bg-child'), 'child deleted');
  await eventually(() => isGone('bg-grandchild'), 'grandchild deleted');
});

test('background: a dependent with a remaining owner keeps living, without the dead reference', async () => {
  const a = await cm('two-a');
  const b = await cm('two-b');
  await cm('two-child', [a, b]);
  await c.client.delete(cms('default', 'two-a'));
  const child = await eventually(async () => {
    const o = await get('two-child');
    return o?.metadata?.ownerReferences?.length === 1 ? o : undefined;
  }, 'reference to two-a removed');
  assert.equal(child.metadata?.ownerReferences?.[0]?.uid, b.metadata?.uid);
  await sleep(300);
  assert.ok(await get('two-child'), 'the dependent must survive while two-b exists');
});

test('a dependent created with a reference to an owner that never existed is collected', async () => {
  await c.client.create<ConfigMap>(cms(), {
    metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: '00000000-0000-0000-0000-00000000dead' }] },
  });
  await eventually(() => isGone('dangling'), 'dangling dependent deleted');
});

test('foreground: the owner waits for its blocking dependent, then goes', async () => {
  const owner = await cm('fg-owner');
  await cm('fg-child', [owner], { block: true, finalizers: ['test.skiff.dev/hold'] });
  await cm('fg-free', [owner]); // not blocking: deleted too, but not waited for
  await c.client.delete(cms('default', 'fg-owner'), { propagationPolicy: 'Foreground' });
  const child = await eventually(async () => (await get('fg-child'))?.metadata?.deletionTimestamp && get('fg-child'), 'blocking dependent being deleted');
  assert.ok(child);
  await eventually(() => isGone('fg-free'), 'non-blocking dependent deleted');
  await sleep(300);
  const o = await get('fg-owner');
  assert.ok(o?.metadata?.deletionTimestamp, 'owner still present while a blocking dependent remains');
  assert.deepEqual(o?.metadata?.finalizers, ['foregroundDeletion']);
  await c.client.patch(cms('default', 'fg-child'), { metadata: { finalizers: null } }, 'merge');
  await eventually(() => isGone('fg-child'), 'blocking dependent gone');
  await eventually(() => isGone('fg-owner'), 'owner gone after its dependents');
});

test('orphan: dependents stay and lose the ownerReference; the owner goes', async () => {
  const owner = await cm('or-owner');
  const keep = await cm('keep-owner');
  await cm('or-child', [owner]);
  await cm('or-child2', [owner, keep]);
  await c.client.delete(cms('default', 'or-owner'), { propagationPolicy: 'Orphan' });
  await eventually(() => isGone('or-owner'), 'owner deleted');
  const child = await get('or-child');
  assert.ok(child, 'orphaned dependent survives');
  assert.equal(child.metadata?.ownerReferences, undefined);
  const child2 = await get('or-child2');
  assert.deepEqual(child2?.metadata?.ownerReferences?.map((r) => r.name), ['keep-owner']);
  await sleep(300);
  assert.ok(await get('or-child'), 'still there after the GC had time to act');
});

test('a ReplicaSet deleted in the background takes its hand-made pods with it', async () => {
  const rs = await c.client.create<ReplicaSet>(ref('apps', 'v1', 'replicasets', 'default'), {
    metadata: { name: 'hand' },
    spec: { replicas: 0, selector: { matchLabels: { app: 'hand' } }, template: { metadata: { labels: { app: 'hand' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  for (const n of ['hand-1', 'hand-2']) {
    await c.client.create<Pod>(ref('', 'v1', 'pods', 'default'), {
      metadata: { name: n, labels: { app: 'hand' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'hand', uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true }] },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
  }
  await c.client.delete(ref('apps', 'v1', 'replicasets', 'default', 'hand'));
  await eventually(async () => (await c.client.list<Pod>(ref('', 'v1', 'pods', 'default'), { labelSelector: 'app=hand' })).items.length === 0, 'pods deleted');
});

test('a reference to an owner in another namespace is treated as absent and reported', async () => {
  const owner = await cm('xns-owner');
  await cm('xns-child', [owner], { ns: 'other' });
  await eventually(() => isGone('xns-child', 'other'), 'cross-namespace dependent collected');
  assert.ok(await get('xns-owner'), 'the owner is untouched');
  const evs = await eventually(async () => {
    const e = await c.events('other', 'xns-child');
    return e.length ? e : undefined;
  }, 'OwnerRefInvalidNamespace event');
  assert.equal(evs[0]?.reason, 'OwnerRefInvalidNamespace');
  assert.match(evs[0]?.message ?? '', /does not exist in namespace "other"/);
});

test('no reconcile errors were reported', () => {
  assert.deepEqual(errors, []);
});
