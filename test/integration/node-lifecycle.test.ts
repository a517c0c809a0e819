// Integration: node lifecycle + taint eviction against an in-process cluster with 3 simulated nodes
// and short periods (monitor 300 ms, grace 2 s). A node that stops heartbeating goes Ready=Unknown
// with upstream's reason and message, gets the unreachable NoExecute/NoSchedule taints, a NodeNotReady
// event and its pods Ready=False; pods are evicted per their tolerations (at once, after
// tolerationSeconds 2, never) and the terminating ones are force-deleted since no kubelet will
// confirm; the taints go when the node is back. With the ReplicaSet controller, an evicted replica is
// replaced on a healthy node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { nodeLifecycleStarter } from '../../src/controllers/nodelifecycle/index.js';
import { startReplicaSetController } from '../../src/controllers/replicaset/index.js';
import { isStatusError } from '../../src/machinery/errors.js';

let c: TestCluster;
const errors: string[] = [];
const pods = ref('', 'v1', 'pods', 'default');
const unreachable = (tolerationSeconds?: number): Toleration => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(tolerationSeconds !== undefined ? { tolerationSeconds } : {}) });

before(async () => {
  c = await startTestCluster({
    nodes: 3,
    sim: { heartbeatMs: 500 },
    controllers: [nodeLifecycleStarter({ monitorPeriodMs: 300, gracePeriodMs: 2000, onError: (k, e) => errors.push(`${k}: ${String(e)}`) }), startReplicaSetController],
  });
});
after(async () => {
  await c.close();
});

const node = (name: string) => c.client.get<Node>(ref('', 'v1', 'nodes', undefined, name));
const getPod = (name: string) =>
  c.client.get<Pod>({ ...pods, name }).catch((e: unknown) => {
    if (isStatusError(e) && e.code === 404) return undefined;
    throw e;
  });
async function pod(name: string, nodeName: string, tolerations?: Toleration[]): Promise<void> {
  await c.client.create<Pod>(pods, { metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
}
const running = (name: string) => eventually(async () => (await getPod(name))?.status?.phase === 'Running', `${name} running`);

test('a silent node goes Unknown and tainted; its pods are marked not ready and evicted per their tolerations', async () => {
  await pod('zero', 'sim-node-1', [unreachable(0)]);
  await pod('tol2', 'sim-node-1', [unreachable(2)]);
  await pod('forever', 'sim-node-1', [unreachable()]);
  await pod('default300', 'sim-node-1');
  for (const p of ['zero', 'tol2', 'forever', 'default300']) await running(p);
  const before = await node('sim-node-1');
  assert.equal(before.spec?.taints, undefined, 'a healthy node carries no taints');

  c.sim!.setReady('sim-node-1', false);
  const n = await eventually(async () => {
    const x = await node('sim-node-1');
    return x.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? x : undefined;
  }, 'unreachable NoExecute taint', 8000);
  const taintedAt = Date.now();
  const ready = n.status?.conditions?.find((x) => x.type === 'Ready');
  assert.equal(ready?.status, 'Unknown');
  assert.equal(ready?.reason, 'NodeStatusUnknown');
  assert.equal(ready?.message, 'Kubelet stopped posting node status.');
  for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) assert.equal(n.status?.conditions?.find((x) => x.type === t)?.status, 'Unknown', t);
  assert.ok(n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule'), 'unreachable NoSchedule taint');

  await eventually(async () => (await getPod('zero')) === undefined, 'untolerated pod evicted (and force-deleted)', 3000);
  await eventually(async () => (await getPod('default300'))?.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'False', 'pods marked Ready=False');
  assert.ok(await getPod('tol2'), 'tolerationSeconds 2: still there right after the taint');
  // The graceful deletion (30 s) is never confirmed by a dead kubelet: it is forced, so well within 6 s.
  await eventually(async () => (await getPod('tol2')) === undefined, 'tol2 evicted after ~2 s', 6000);
  const after = (Date.now() - taintedAt) / 1000;
  assert.ok(after >= 1.5, `tol2 evicted after ${after}s, expected ~2s`);
  const evs = await c.events('default', 'tol2');
  assert.ok(evs.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/tol2'), JSON.stringify(evs.map((e) => e.message)));
  const nodeEvents = await c.events('default', 'sim-node-1');
  assert.ok(nodeEvents.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node sim-node-1 status is now: NodeNotReady'), JSON.stringify(nodeEvents.map((e) => e.reason)));
  const podEvents = await c.events('default', 'default300');
  assert.ok(podEvents.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node is not ready'));

  assert.ok(await getPod('forever'), 'a toleration without tolerationSeconds tolerates forever');
  assert.ok(!(await getPod('default300'))?.metadata?.deletionTimestamp, 'default 300 s toleration: not yet');

  c.sim!.setReady('sim-node-1', true);
  await eventually(async () => {
    const x = await node('sim-node-1');
    return x.status?.conditions?.find((y) => y.type === 'Ready')?.status === 'True' && !(x.spec?.taints ?? []).length;
  }, 'taints removed once the node is back', 8000);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(await getPod('default300'), 'the remaining pod survives the recovery');
  for (const p of ['forever', 'default300']) await c.client.delete({ ...pods, name: p }, { gracePeriodSeconds: 0 });
});

test('an evicted ReplicaSet pod is replaced on a healthy node', async () => {
  const rs = ref('apps', 'v1', 'replicasets', 'default');
  await c.client.create<ReplicaSet>(rs, {
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          tolerations: [unreachable(1)],
          // one replica per node while all are healthy; a tainted node no longer counts for the skew
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor', labelSelector: { matchLabels: { app: 'web' } } }],
          containers: [{ name: 'c', image: 'nginx' }],
        },
      },
    },
  });
  const list = async () => (await c.client.list<Pod>(pods, { labelSelector: 'app=web' })).items;
  const onNode = await eventually(async () => {
    const items = await list();
    return items.length === 3 && items.every((p) => p.status?.phase === 'Running') ? items.find((p) => p.spec?.nodeName === 'sim-node-2') ?? false : false;
  }, 'three running replicas, one on sim-node-2', 10_000);
  c.sim!.setReady('sim-node-2', false);
  await eventually(async () => (await getPod(onNode.metadata!.name!)) === undefined, 'the replica on sim-node-2 evicted', 10_000);
  const items = await eventually(async () => {
    const ps = await list();
    return ps.length === 3 && ps.every((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp) ? ps : false;
  }, 'three running replicas again', 10_000);
  assert.ok(items.every((p) => p.spec?.nodeName !== 'sim-node-2'), `replacement placed on a healthy node: ${items.map((p) => p.spec?.nodeName).join(',')}`);
  c.sim!.setReady('sim-node-2', true);
});

test('no reconcile errors were reported', () => {
  assert.deepEqual(errors, []);
});
