// Integration: the Deployment controller with the ReplicaSet controller, the scheduler and 3 simulated
// nodes on an in-process API server. A Deployment creates its `<name>-<hash>` ReplicaSet with upstream's
// labels and annotations and reports status and conditions; an image change rolls out within
// maxSurge/maxUnavailable (checked at every observed step); a resize follows; Recreate never runs old
// and new pods together; pause holds a rollout back and resume releases it; revisionHistoryLimit prunes
// old ReplicaSets; a rollout that cannot progress ends in ProgressDeadlineExceeded; orphans are adopted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { startReplicaSetController } from '../../src/controllers/replicaset/index.js';
import { startDeploymentController } from '../../src/controllers/deployment/controller.js';

let c: TestCluster;
const NS = 'default';
const depRef = (name?: string) => ref('apps', 'v1', 'deployments', NS, name);
const rsRef = (name?: string) => ref('apps', 'v1', 'replicasets', NS, name);
const podsRef = () => ref('', 'v1', 'pods', NS);

function deployment(name: string, replicas: number, spec: Partial<Deployment['spec']> = {}, annotations?: Record<string, string>): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'img:1' }] } },
      ...spec,
    },
  };
}
const getDep = (name: string) => c.client.get<Deployment>(depRef(name));
async function replicaSetsOf(name: string): Promise<ReplicaSet[]> {
  const l = await c.client.list<ReplicaSet>(rsRef(), { labelSelector: `app=${name}` });
  return l.items;
}
async function podsOf(name: string): Promise<Pod[]> {
  return (await c.client.list<Pod>(podsRef(), { labelSelector: `app=${name}` })).items;
}
const cond = (d: Deployment, type: string) => d.status?.conditions?.find((x) => x.type === type);
/** The Deployment has fully rolled out (what `kubectl rollout status` waits for). */
async function rolledOut(name: string): Promise<Deployment | false> {
  const d = await getDep(name);
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 0;
  const ok = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
  return ok && cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' && d;
}
const image = (rs: ReplicaSet) => rs.spec?.template?.spec?.containers[0].image;

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [startReplicaSetController, startDeploymentController] });
});
after(async () => {
  await c?.close();
});

test('deployment: creates <name>-<hash> RS with upstream labels, annotations, status, conditions, events', async () => {
  await c.client.create(depRef(), deployment('web', 3, {}, { 'kubernetes.io/change-cause': 'first' }));
  const d = await eventually(() => rolledOut('web'), 'web rolled out', 20_000);
  const [rs] = await replicaSetsOf('web');
  const hash = rs.metadata?.labels?.['pod-template-hash'] ?? '';
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.equal(rs.metadata?.name, `web-${hash}`);
  assert.equal(rs.spec?.selector.matchLabels?.['pod-template-hash'], hash);
  assert.equal(rs.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
  const ann = rs.metadata?.annotations ?? {};
  assert.equal(ann['deployment.kubernetes.io/revision'], '1');
  assert.equal(ann['deployment.kubernetes.io/desired-replicas'], '3');
  assert.equal(ann['deployment.kubernetes.io/max-replicas'], '4'); // 25% of 3 rounds up to 1 surge
  assert.equal(ann['kubernetes.io/change-cause'], 'first');
  const owner = rs.metadata?.ownerReferences?.[0];
  assert.deepEqual([owner?.kind, owner?.name, owner?.uid, owner?.controller], ['Deployment', 'web', d.metadata?.uid, true]);
  for (const p of await podsOf('web')) assert.equal(p.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(d.status?.readyReplicas, 3);
  assert.equal(d.status?.unavailableReplicas, undefined);
  const avail = cond(d, 'Available');
  assert.deepEqual([avail?.status, avail?.reason, avail?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
  const prog = cond(d, 'Progressing');
  assert.deepEqual([prog?.status, prog?.message], ['True', `ReplicaSet "web-${hash}" has successfully progressed.`]);
  const events = await eventually(async () => {
    const ev = (await c.events(NS, 'web')).filter((e) => e.reason === 'ScalingReplicaSet');
    return ev.length > 0 && ev;
  }, 'ScalingReplicaSet event');
  assert.equal(events[0].message, `Scaled up replica set web-${hash} from 0 to 3`);
  assert.equal(events[0].source?.component, 'deployment-controller');
});

test('deployment: scale 3 → 5 → 2 resizes the RS', async () => {
  await c.client.patch(depRef('web'), { spec: { replicas: 5 } }, 'merge');
  await eventually(async () => (await rolledOut('web')) && (await getDep('web')).status?.availableReplicas === 5, 'web 5 available', 20_000);
  await c.client.patch(depRef('web'), { spec: { replicas: 2 } }, 'merge');
  const d = await eventually(async () => { const x = await rolledOut('web'); return x && x.spec?.replicas === 2 && x; }, 'web at 2', 20_000);
  const [rs] = await replicaSetsOf('web');
  assert.equal(rs.spec?.replicas, 2);
  assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '2');
  const msgs = (await c.events(NS, 'web')).map((e) => e.message);
  assert.ok(msgs.includes(`Scaled up replica set ${rs.metadata?.name} from 3 to 5`), msgs.join('\n'));
  assert.ok(msgs.includes(`Scaled down replica set ${rs.metadata?.name} from 5 to 2`), msgs.join('\n'));
  assert.equal(d.status?.replicas, 2);
});
