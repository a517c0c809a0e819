// Integration: the DaemonSet controller against an in-process API server with 3 simulated nodes and
// the scheduler. With sim-node-2 tainted NoSchedule, a DaemonSet runs on the other two (pods pinned
// by a metadata.name node affinity and placed by the scheduler, labelled with the revision hash and
// template generation); a toleration brings it to 3/3 through a rolling update; an image change rolls
// every pod under maxUnavailable 1 with a new ControllerRevision; a new node gets a pod and a
// NoExecute taint removes it; a failed pod is replaced with a FailedDaemonPod warning; OnDelete waits;
// a matching orphan is adopted; maxSurge rolls without losing availability.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { startDaemonSetController } from '../../src/controllers/daemonset/index.js';

let c: TestCluster;
const NS = 'default';
const dsRef = (name?: string) => ref('apps', 'v1', 'daemonsets', NS, name);
const podsRef = (name?: string) => ref('', 'v1', 'pods', NS, name);
const nodeRef = (name?: string) => ref('', 'v1', 'nodes', undefined, name);

const daemonSet = (name: string, extra: Partial<DaemonSet['spec']> = {}): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: NS },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'agent:1' }] } },
    ...extra,
  },
});

async function livePods(app: string): Promise<Pod[]> {
  const l = await c.client.list<Pod>(podsRef(), { labelSelector: `app=${app}` });
  return l.items.filter((p) => !p.metadata?.deletionTimestamp);
}
const nodesOf = (pods: Pod[]) => pods.map((p) => p.spec?.nodeName ?? '').sort();
async function statusIs(name: string, desired: number, updated = desired) {
  const ds = await c.client.get<DaemonSet>(dsRef(name));
  const s = ds.status;
  return (
    s?.observedGeneration === ds.metadata?.generation && s?.desiredNumberScheduled === desired && s.currentNumberScheduled === desired &&
    s.numberReady === desired && s.numberAvailable === desired && (s.numberUnavailable ?? 0) === 0 && s.updatedNumberScheduled === updated && ds
  );
}

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [startDaemonSetController] });
  await c.client.patch(nodeRef('sim-node-2'), { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } }, 'merge');
  // The controller must see the taint before the first DaemonSet exists, or it may briefly place a pod there.
  const nodes = c.ctx.informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
  await eventually(() => (nodes.store.get('sim-node-2')?.spec?.taints?.length ?? 0) > 0, 'taint seen by the controller');
});
after(async () => {
  await c?.close();
});

test('daemonset: skips the tainted node, a toleration adds it, an image change rolls every pod', async () => {
  await c.client.create(dsRef(), daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
  await eventually(() => statusIs('agent', 2), 'agent 2/2', 15_000);
  let pods = await livePods('agent');
  assert.deepEqual(nodesOf(pods), ['sim-node-0', 'sim-node-1']);
  const hash1 = pods[0].metadata?.labels?.['controller-revision-hash'];
  assert.ok(hash1);
  for (const p of pods) {
    assert.equal(p.metadata?.labels?.['pod-template-generation'], '1');
    assert.equal(p.metadata?.labels?.['controller-revision-hash'], hash1);
    assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'DaemonSet');
    const terms = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    assert.deepEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] }]);
    assert.ok(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute' && t.tolerationSeconds === undefined));
  }
  const ds0 = (await c.client.get<DaemonSet>(dsRef('agent'))).status;
  assert.equal(ds0?.numberMisscheduled, 0);

  await c.client.patch(dsRef('agent'), { spec: { template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] } } } }, 'merge');
  await eventually(() => statusIs('agent', 3), 'agent 3/3 after toleration', 20_000);
  pods = await livePods('agent');
  assert.deepEqual(nodesOf(pods), ['sim-node-0', 'sim-node-1', 'sim-node-2']);
  const hash2 = pods[0].metadata?.labels?.['controller-revision-hash'];
  assert.notEqual(hash2, hash1);
  assert.ok(pods.every((p) => p.metadata?.labels?.['controller-revision-hash'] === hash2 && p.metadata?.labels?.['pod-template-generation'] === '2'));

  // Image change: at most one node without an available pod at any time.
  const before = new Set(pods.map((p) => p.metadata?.name));
  await c.client.patch(dsRef('agent'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, 'strategic');
  let worst = 0;
  await eventually(async () => {
    const ds = await c.client.get<DaemonSet>(dsRef('agent'));
    if (ds.status?.observedGeneration === ds.metadata?.generation) worst = Math.max(worst, ds.status?.numberUnavailable ?? 0);
    return statusIs('agent', 3);
  }, 'agent rolled to agent:2', 30_000);
  assert.ok(worst <= 1, `numberUnavailable reached ${worst}`);
  pods = await livePods('agent');
  assert.ok(pods.every((p) => p.spec?.containers[0].image === 'agent:2' && !before.has(p.metadata?.name)));
  const revs = await c.client.list<ControllerRevision>(ref('apps', 'v1', 'controllerrevisions', NS));
  assert.deepEqual(revs.items.filter((r) => r.metadata?.ownerReferences?.[0]?.name === 'agent').map((r) => r.revision).sort(), [1, 2, 3]);

  const events = await c.events(NS, 'agent');
  assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: agent-/.test(e.message ?? '')));
  assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: agent-/.test(e.message ?? '')));
});

test('daemonset: follows a new node and a NoExecute taint; replaces a failed pod', async () => {
  await c.client.create(dsRef(), daemonSet('fol', { template: { metadata: { labels: { app: 'fol' } }, spec: { terminationGracePeriodSeconds: 0, nodeSelector: { role: 'edge' }, containers: [{ name: 'c', image: 'x' }] } } }));
  await c.client.patch(nodeRef('sim-node-0'), { metadata: { labels: { role: 'edge' } } }, 'merge');
  await eventually(() => statusIs('fol', 1), 'fol on labelled node', 15_000);
  // A new (kubelet-less) node with the label: a pod is created and bound to it.
  const extra: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'extra-node', labels: { role: 'edge' } }, spec: {} };
  await c.client.create(nodeRef(), extra);
  const pinned = (p: Pod) => p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
  const forExtra = await eventually(async () => (await livePods('fol')).find((p) => pinned(p) === 'extra-node'), 'a pod for extra-node', 15_000);
  assert.equal((await c.client.get<DaemonSet>(dsRef('fol'))).status?.desiredNumberScheduled, 2);
  // The node has no allocatable resources, so the pod stays unbound; once the node is gone the
  // controller deletes it (a bound pod would be left to pod GC, as upstream).
  assert.equal(forExtra.spec?.nodeName, undefined);
  await c.client.delete(nodeRef('extra-node'));
  await eventually(async () => !(await livePods('fol')).some((p) => p.metadata?.name === forExtra.metadata?.name), 'unbound pod for the deleted node removed', 15_000);
  await eventually(() => statusIs('fol', 1), 'fol back to 1 node', 15_000);

  // NoExecute taint: the pod must go.
  await c.client.patch(nodeRef('sim-node-0'), { spec: { taints: [{ key: 'evict', effect: 'NoExecute' }] } }, 'merge');
  await eventually(async () => (await livePods('fol')).length === 0, 'fol pod evicted', 15_000);
  await c.client.patch(nodeRef('sim-node-0'), { spec: { taints: null } }, 'merge');
  await eventually(() => statusIs('fol', 1), 'fol back after untaint', 15_000);

  // A failed pod: deleted with a FailedDaemonPod warning, and a new one takes its place.
  const [p] = await livePods('fol');
  await c.client.patch({ ...podsRef(p.metadata!.name!), subresource: 'status' }, { status: { phase: 'Failed' } }, 'merge');
  await eventually(async () => {
    const now = await livePods('fol');
    return now.length === 1 && now[0].metadata?.name !== p.metadata?.name && now[0].status?.phase === 'Running';
  }, 'failed pod replaced', 15_000);
  const events = await c.events(NS, 'fol');
  const warn = events.find((e) => e.reason === 'FailedDaemonPod');
  assert.equal(warn?.type, 'Warning');
  assert.equal(warn?.message, `Found failed daemon pod default/${p.metadata?.name} on node sim-node-0, will try to kill it`);
});

test('daemonset: OnDelete leaves old pods until they are deleted by hand', async () => {
  await c.client.create(dsRef(), daemonSet('od', { updateStrategy: { type: 'OnDelete' } }));
  await eventually(() => statusIs('od', 2), 'od 2/2', 15_000);
  await c.client.patch(dsRef('od'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:9' }] } } } }, 'strategic');
  await eventually(() => statusIs('od', 2, 0), 'od observed, nothing updated', 15_000);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok((await livePods('od')).every((p) => p.spec?.containers[0].image === 'agent:1'));
  const victim = (await livePods('od'))[0];
  await c.client.delete(podsRef(victim.metadata!.name!));
  await eventually(() => statusIs('od', 2, 1), 'one pod updated after manual delete', 15_000);
});

test('daemonset: adopts a matching orphan pod instead of creating a second one on its node', async () => {
  const orphan: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: NS, labels: { app: 'adopt' } }, spec: { nodeName: 'sim-node-0', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'agent:1' }] } };
  await c.client.create(podsRef(), orphan);
  // OnDelete: under RollingUpdate the adopted pod (no revision hash) would be replaced, as upstream.
  await c.client.create(dsRef(), daemonSet('adopt', { updateStrategy: { type: 'OnDelete' } }));
  await eventually(() => statusIs('adopt', 2, 1), 'adopt 2/2 with the stray pod counted', 15_000);
  const pods = await livePods('adopt');
  assert.deepEqual(nodesOf(pods), ['sim-node-0', 'sim-node-1']);
  const stray = pods.find((p) => p.metadata?.name === 'stray');
  assert.equal(stray?.metadata?.ownerReferences?.[0]?.name, 'adopt');
  assert.equal(stray?.metadata?.ownerReferences?.[0]?.controller, true);
});

test('daemonset: maxSurge 1 / maxUnavailable 0 rolls without ever losing an available pod', async () => {
  await c.client.create(dsRef(), daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  await eventually(() => statusIs('surge', 2), 'surge 2/2', 15_000);
  const before = new Set((await livePods('surge')).map((p) => p.metadata?.name));
  await c.client.patch(dsRef('surge'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, 'strategic');
  let minAvailable = Infinity;
  let maxPods = 0;
  await eventually(async () => {
    const ds = await c.client.get<DaemonSet>(dsRef('surge'));
    minAvailable = Math.min(minAvailable, ds.status?.numberAvailable ?? 0);
    maxPods = Math.max(maxPods, (await livePods('surge')).length);
    return statusIs('surge', 2);
  }, 'surge rolled', 20_000);
  assert.equal(minAvailable, 2);
  assert.ok(maxPods <= 3, `at most one surge pod at a time, saw ${maxPods} pods`);
  const after = await livePods('surge');
  assert.ok(after.every((p) => !before.has(p.metadata?.name) && p.spec?.containers[0].image === 'agent:2'));
});
