// Integration: the disruption controller keeps PodDisruptionBudget status from the pods it selects
// (pods created directly go Running on simulated nodes) and the pods/eviction subresource enforces it:
// one eviction allowed under minAvailable 2 of 3, the next refused with 429 and upstream's
// DisruptionBudget cause, two budgets over one pod → 500, pending pods evicted freely, and
// expectedPods taken from a ReplicaSet's scale for maxUnavailable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { StatusError } from '../../src/machinery/errors.js';
import { startDisruptionController } from '../../src/controllers/disruption/controller.js';
import { eventually, ref, startTestCluster, type TestCluster } from './cluster.js';

let c: TestCluster;
const NS = 'default';
const pods = ref('', 'v1', 'pods', NS);
const pdbs = ref('policy', 'v1', 'poddisruptionbudgets', NS);

const pod = (name: string, labels: Record<string, string>, extra: Partial<Pod['spec']> = {}, owner?: ReplicaSet): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }], terminationGracePeriodSeconds: 1, ...extra },
});
const pdb = (name: string, spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });

const evict = (name: string) =>
  c.client.request('POST', `/api/v1/namespaces/${NS}/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } });
const getPdb = (name: string) => c.client.get<PodDisruptionBudget>({ ...pdbs, name });
const isReady = (p: Pod) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
async function readyPods(names: string[]) {
  await eventually(async () => {
    for (const n of names) if (!isReady(await c.client.get<Pod>({ ...pods, name: n }))) return false;
    return true;
  }, `${names.join(',')} ready`);
}

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [startDisruptionController] });
});
after(async () => {
  await c?.close();
});

test('disruption: status from pods, one eviction allowed, the next refused with 429', async () => {
  for (const n of ['web-a', 'web-b', 'web-c']) await c.client.create(pods, pod(n, { app: 'web' }));
  await readyPods(['web-a', 'web-b', 'web-c']);
  await c.client.create(pdbs, pdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }));
  const s = await eventually(async () => {
    const b = await getPdb('web');
    return b.status?.disruptionsAllowed === 1 && b.status.currentHealthy === 3 ? b.status : undefined;
  }, 'pdb web allows 1');
  assert.equal(s.desiredHealthy, 2);
  assert.equal(s.expectedPods, 3);
  assert.equal(s.observedGeneration, 1);
  const cond = s.conditions?.find((x) => x.type === 'DisruptionAllowed');
  assert.equal(cond?.status, 'True');
  assert.equal(cond?.reason, 'SufficientPods');

  const ok = await evict('web-a');
  assert.equal((ok as { status?: string }).status, 'Success');
  const after = await getPdb('web');
  // The eviction took the budget in the same breath (before the controller reacted).
  assert.ok(after.status?.disruptionsAllowed === 0);
  assert.equal((await c.client.get<Pod>({ ...pods, name: 'web-a' }).catch(() => undefined))?.metadata?.deletionTimestamp !== undefined, true);

  const err = await evict('web-b').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof StatusError, String(err));
  assert.equal(err.code, 429);
  assert.equal(err.status.reason, 'TooManyRequests');
  assert.equal(err.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(err.status.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]);
  const final = await eventually(async () => {
    const b = await getPdb('web');
    return b.status?.currentHealthy === 2 && !b.status.disruptedPods?.['web-a'] ? b.status : undefined;
  }, 'web-a gone from the budget');
  assert.equal(final.disruptionsAllowed, 0);
  assert.equal(final.conditions?.find((x) => x.type === 'DisruptionAllowed')?.reason, 'InsufficientPods');
  assert.ok(await c.client.get<Pod>({ ...pods, name: 'web-b' }));

  // A replacement pod makes room again.
  await c.client.create(pods, pod('web-d', { app: 'web' }));
  await eventually(async () => (await getPdb('web')).status?.disruptionsAllowed === 1, 'budget back to 1');
});

test('eviction: two budgets over one pod is a 500; pending pods are evicted freely', async () => {
  await c.client.create(pods, pod('two', { app: 'two', tier: 'x' }));
  await readyPods(['two']);
  await c.client.create(pdbs, pdb('two-a', { maxUnavailable: 1, selector: { matchLabels: { app: 'two' } } }));
  await c.client.create(pdbs, pdb('two-b', { maxUnavailable: 1, selector: { matchLabels: { tier: 'x' } } }));
  const err = await evict('two').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof StatusError);
  assert.equal(err.code, 500);
  assert.equal(err.message, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');

  // Fits nowhere → stays Pending → no budget is consulted (upstream canIgnorePDB).
  await c.client.create(pods, pod('pending', { app: 'two' }, { nodeSelector: { nowhere: 'true' } }));
  await evict('pending');
  await eventually(async () => c.client.get({ ...pods, name: 'pending' }).then(() => false, (e: unknown) => e instanceof StatusError && e.code === 404), 'pending pod gone');
});

test('disruption: maxUnavailable counts the ReplicaSet scale, not just the pods present', async () => {
  const rs = await c.client.create<ReplicaSet>(ref('apps', 'v1', 'replicasets', NS), {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'db' },
    spec: { replicas: 4, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'db' }] } } },
  });
  for (const n of ['db-1', 'db-2', 'db-3']) await c.client.create(pods, pod(n, { app: 'db' }, {}, rs));
  await readyPods(['db-1', 'db-2', 'db-3']);
  await c.client.create(pdbs, pdb('db', { maxUnavailable: 1, selector: { matchLabels: { app: 'db' } } }));
  const s = await eventually(async () => {
    const b = await getPdb('db');
    return b.status?.expectedPods === 4 && b.status.currentHealthy === 3 ? b.status : undefined;
  }, 'db budget computed');
  assert.equal(s.desiredHealthy, 3);
  assert.equal(s.disruptionsAllowed, 0);
  // Scaling the ReplicaSet down to 3 frees one disruption.
  await c.client.patch(ref('apps', 'v1', 'replicasets', NS, 'db'), { spec: { replicas: 3 } });
  await eventually(async () => (await getPdb('db')).status?.disruptionsAllowed === 1, 'db allows 1 after scale-down');
});

test('eviction: an unready pod costs no budget when the rest are healthy; dry run changes nothing', async () => {
  for (const n of ['u-1', 'u-2', 'u-3']) await c.client.create(pods, pod(n, { app: 'u' }));
  await readyPods(['u-1', 'u-2', 'u-3']);
  await c.client.create(pdbs, pdb('u', { minAvailable: 1, selector: { matchLabels: { app: 'u' } } }));
  await eventually(async () => (await getPdb('u')).status?.disruptionsAllowed === 2, 'u allows 2');
  const p1 = await c.client.get<Pod>({ ...pods, name: 'u-1' });
  const conditions = (p1.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? { ...x, status: 'False' } : x));
  await c.client.patch({ ...pods, name: 'u-1', subresource: 'status' }, { status: { conditions } }, 'strategic');
  await eventually(async () => (await getPdb('u')).status?.currentHealthy === 2, 'u-1 counted unhealthy');

  // Dry run: allowed, but neither the pod nor the budget changes.
  const rv = (await getPdb('u')).metadata?.resourceVersion;
  await c.client.request('POST', `/api/v1/namespaces/${NS}/pods/u-2/eviction?dryRun=All`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'u-2' } });
  assert.equal((await c.client.get<Pod>({ ...pods, name: 'u-2' })).metadata?.deletionTimestamp, undefined);
  assert.equal((await getPdb('u')).metadata?.resourceVersion, rv);

  // Unready u-1 goes without touching the budget (IfHealthyBudget: 2 healthy ≥ 1 desired).
  await evict('u-1');
  const after = await getPdb('u');
  assert.equal(after.metadata?.resourceVersion, rv);
  assert.equal(after.status?.disruptedPods?.['u-1'], undefined);
  assert.ok((await c.client.get<Pod>({ ...pods, name: 'u-1' })).metadata?.deletionTimestamp);
});
