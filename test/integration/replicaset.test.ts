// Integration: the ReplicaSet and ReplicationController controllers against an in-process API server
// with 3 simulated nodes and the scheduler. A ReplicaSet scales 3 → 5 → 1 deleting the pods upstream
// would (lowest pod-deletion-cost first), replaces a pod deleted by hand, adopts a matching orphan,
// reports ready/available replicas (honouring minReadySeconds) and records upstream's events; a
// ReplicationController does the same with its plain-map selector and a v1 controller reference.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { startReplicaSetController, startReplicationController } from '../../src/controllers/replicaset/index.js';

let c: TestCluster;
const NS = 'default';
const rsRef = (name?: string) => ref('apps', 'v1', 'replicasets', NS, name);
const rcRef = (name?: string) => ref('', 'v1', 'replicationcontrollers', NS, name);
const podsRef = (name?: string) => ref('', 'v1', 'pods', NS, name);

const template = (app: string) => ({
  metadata: { labels: { app } },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'nginx:1.25' }] },
});
const replicaSet = (name: string, replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: NS },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...extra },
});

/** Active pods whose labels say app=<app>, by name. */
async function activePods(app: string): Promise<Pod[]> {
  const l = await c.client.list<Pod>(podsRef(), { labelSelector: `app=${app}` });
  return l.items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
}
async function rsStatusIs(name: string, n: number) {
  const rs = await c.client.get<ReplicaSet>(rsRef(name));
  const s = rs.status;
  return s?.replicas === n && s.readyReplicas === n && s.availableReplicas === n && s.fullyLabeledReplicas === n && s.observedGeneration === rs.metadata?.generation && rs;
}
const scale = (name: string, replicas: number) => c.client.patch(rsRef(name), { spec: { replicas } }, 'merge');

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [startReplicaSetController, startReplicationController] });
});
after(async () => {
  await c?.close();
});

test('replicaset: scale 3 → 5 → 1 deletes in ranking order; a deleted pod is replaced; events', async () => {
  await c.client.create(rsRef(), replicaSet('web', 3));
  await eventually(() => rsStatusIs('web', 3), 'web 3/3 ready');
  const first = await activePods('web');
  assert.equal(first.length, 3);
  for (const p of first) {
    assert.match(p.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
    const owner = p.metadata?.ownerReferences?.[0];
    assert.deepEqual([owner?.apiVersion, owner?.kind, owner?.name, owner?.controller, owner?.blockOwnerDeletion], ['apps/v1', 'ReplicaSet', 'web', true, true]);
  }
  // The pod upstream must keep on scale-down: the highest deletion cost beats every other rule.
  const keep = first[1].metadata?.name ?? '';
  await c.client.patch(podsRef(keep), { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '100' } } }, 'merge');

  await scale('web', 5);
  await eventually(() => rsStatusIs('web', 5), 'web 5/5 ready');
  await scale('web', 1);
  await eventually(async () => (await activePods('web')).length === 1 && rsStatusIs('web', 1), 'web scaled to 1');
  assert.deepEqual((await activePods('web')).map((p) => p.metadata?.name), [keep]);

  // A pod deleted by hand is replaced.
  await c.client.delete(podsRef(keep), { gracePeriodSeconds: 0 });
  const replacement = await eventually(async () => {
    const ps = await activePods('web');
    return ps.length === 1 && ps[0].metadata?.name !== keep && ps[0];
  }, 'replacement pod');
  assert.match(replacement.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
  await eventually(() => rsStatusIs('web', 1), 'web 1/1 after replacement');

  await c.ctx.recorder('replicaset-controller').flush();
  const events = await eventually(async () => {
    const evs = await c.events(NS, 'web');
    const creates = evs.filter((e) => e.reason === 'SuccessfulCreate');
    const deletes = evs.filter((e) => e.reason === 'SuccessfulDelete');
    return creates.length === 6 && deletes.length === 4 && evs;
  }, '6 SuccessfulCreate and 4 SuccessfulDelete events');
  for (const e of events) {
    assert.equal(e.involvedObject.kind, 'ReplicaSet');
    assert.equal(e.source?.component, 'replicaset-controller');
    assert.match(e.message ?? '', /^(Created|Deleted) pod: web-[a-z0-9]{5}$/);
  }
  assert.ok(events.some((e) => e.message === `Created pod: ${replacement.metadata?.name}`));
});

test('replicaset: adopts a matching orphan instead of creating a pod for it', async () => {
  const orphan = await c.client.create<Pod>(podsRef(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: NS, labels: { app: 'api' } }, spec: template('api').spec });
  const rs = await c.client.create<ReplicaSet>(rsRef(), replicaSet('api', 2));
  await eventually(() => rsStatusIs('api', 2), 'api 2/2 ready');
  const pods = await activePods('api');
  assert.equal(pods.length, 2);
  const adopted = pods.find((p) => p.metadata?.uid === orphan.metadata?.uid);
  assert.ok(adopted, 'the orphan is one of the two');
  assert.equal(adopted.metadata?.ownerReferences?.[0].uid, rs.metadata?.uid);
  assert.equal(adopted.metadata?.ownerReferences?.[0].controller, true);
  // Releasing: a pod whose labels stop matching loses its controller reference and is replaced.
  await c.client.patch(podsRef('stray'), { metadata: { labels: { app: 'other' } } }, 'merge');
  await eventually(async () => {
    const p = await c.client.get<Pod>(podsRef('stray'));
    return !(p.metadata?.ownerReferences ?? []).length && (await activePods('api')).length === 2;
  }, 'stray released and replaced');
});

test('replicaset: a Failed pod does not count and is replaced', async () => {
  await c.client.create(rsRef(), replicaSet('evicted', 2));
  await eventually(() => rsStatusIs('evicted', 2), 'evicted 2/2 ready');
  const [victim] = await activePods('evicted');
  // What an eviction by the kubelet leaves behind; simulated nodes leave terminal pods alone.
  await c.client.patch({ ...podsRef(victim.metadata?.name), subresource: 'status' }, { status: { phase: 'Failed', reason: 'Evicted', conditions: [{ type: 'Ready', status: 'False' }] } }, 'merge');
  await eventually(async () => {
    const ps = await activePods('evicted');
    return ps.length === 2 && !ps.some((p) => p.metadata?.name === victim.metadata?.name) && rsStatusIs('evicted', 2);
  }, 'replacement for the failed pod');
  const failedPod = await c.client.get<Pod>(podsRef(victim.metadata?.name));
  assert.equal(failedPod.status?.phase, 'Failed', 'the failed pod is kept (pod GC removes it), just not counted');
});

test('replicaset: availableReplicas waits minReadySeconds after readiness', async () => {
  await c.client.create(rsRef(), replicaSet('slow', 2, { minReadySeconds: 2 }));
  const start = Date.now();
  await eventually(async () => {
    const rs = await c.client.get<ReplicaSet>(rsRef('slow'));
    return rs.status?.readyReplicas === 2 && rs.status.availableReplicas === 0;
  }, 'ready but not yet available');
  await eventually(() => rsStatusIs('slow', 2), 'slow 2/2 available', 10_000);
  assert.ok(Date.now() - start >= 2000, 'available only after minReadySeconds');
});

test('replicationcontroller: same behaviour with a map selector and a v1 controller reference', async () => {
  const rc: ReplicationController = {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: NS },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: template('legacy') },
  };
  await c.client.create(rcRef(), rc);
  const ready = async (n: number) => {
    const cur = await c.client.get<ReplicationController>(rcRef('legacy'));
    const s = cur.status;
    return s?.replicas === n && s.readyReplicas === n && s.availableReplicas === n && s.observedGeneration === cur.metadata?.generation;
  };
  await eventually(() => ready(2), 'legacy 2/2 ready');
  const pods = await activePods('legacy');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    const o = p.metadata?.ownerReferences?.[0];
    assert.deepEqual([o?.apiVersion, o?.kind, o?.name], ['v1', 'ReplicationController', 'legacy']);
    assert.match(p.metadata?.name ?? '', /^legacy-[a-z0-9]{5}$/);
  }
  await c.client.patch(rcRef('legacy'), { spec: { replicas: 3 } }, 'merge');
  await eventually(() => ready(3), 'legacy 3/3 ready');
  await c.ctx.recorder('replication-controller').flush();
  const evs = await eventually(async () => {
    const e = (await c.events(NS, 'legacy')).filter((x) => x.reason === 'SuccessfulCreate');
    return e.length === 3 && e;
  }, '3 SuccessfulCreate events');
  assert.ok(evs.every((e) => e.involvedObject.kind === 'ReplicationController' && e.source?.component === 'replication-controller'));
});

test('replicaset: a terminating ReplicaSet creates nothing', async () => {
  const rs = replicaSet('held', 1);
  rs.metadata = { ...rs.metadata, finalizers: ['example.com/hold'] };
  await c.client.create(rsRef(), rs);
  await eventually(() => rsStatusIs('held', 1), 'held 1/1');
  await c.client.delete(rsRef('held'), { propagationPolicy: 'Orphan' });
  const [p] = await activePods('held');
  await c.client.delete(podsRef(p.metadata?.name), { gracePeriodSeconds: 0 });
  await eventually(async () => (await c.client.get<ReplicaSet>(rsRef('held'))).status?.replicas === 0, 'status shows 0 replicas');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await activePods('held')).length, 0, 'no replacement while terminating');
  await c.client.patch(rsRef('held'), { metadata: { finalizers: null } }, 'merge');
});
