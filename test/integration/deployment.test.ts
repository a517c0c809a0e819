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

test('deployment: image change rolls out within maxSurge/maxUnavailable; old RS drains, keeps revision 1', async () => {
  await c.client.create(depRef(), deployment('roll', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
  await eventually(() => rolledOut('roll'), 'roll rolled out', 20_000);
  // Watch every step: total desired pods never above 4+1, available never below 4-1.
  let stop = false;
  const steps: string[] = [];
  const violations: string[] = [];
  const watcher = (async () => {
    while (!stop) {
      const rss = await replicaSetsOf('roll');
      const total = rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      const available = rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
      const step = rss.map((rs) => `${image(rs)}=${rs.spec?.replicas}`).sort().join(' ');
      if (steps[steps.length - 1] !== step) steps.push(step);
      if (total > 5) violations.push(`total ${total}: ${step}`);
      if (available < 3) violations.push(`available ${available}: ${step}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await c.client.patch(depRef('roll'), { metadata: { annotations: { 'kubernetes.io/change-cause': 'to v2' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } } }, 'strategic');
  const d = await eventually(async () => { const x = await rolledOut('roll'); return x && x.status?.updatedReplicas === 4 && (x.status.replicas ?? 0) === 4 && x; }, 'roll v2 rolled out', 30_000);
  stop = true;
  await watcher;
  assert.deepEqual(violations, []);
  assert.equal(steps[0], 'img:1=4');
  assert.equal(steps[steps.length - 1], 'img:1=0 img:2=4');
  assert.ok(steps.length >= 4, `expected several intermediate steps, saw ${steps.join(' | ')}`);
  const rss = await replicaSetsOf('roll');
  const byImage = new Map(rss.map((rs) => [image(rs), rs]));
  assert.equal(byImage.get('img:1')?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(byImage.get('img:2')?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(byImage.get('img:2')?.metadata?.annotations?.['kubernetes.io/change-cause'], 'to v2');
  assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal((await podsOf('roll')).filter((p) => !p.metadata?.deletionTimestamp && p.spec?.containers[0].image === 'img:1').length, 0);
});

test('deployment: Recreate never runs old and new pods together', async () => {
  await c.client.create(depRef(), deployment('rec', 3, { strategy: { type: 'Recreate' } }));
  await eventually(() => rolledOut('rec'), 'rec rolled out', 20_000);
  let stop = false;
  let mixed = '';
  const watcher = (async () => {
    while (!stop) {
      const imgs = new Set((await podsOf('rec')).filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded').map((p) => p.spec?.containers[0].image));
      if (imgs.size > 1) mixed = [...imgs].join(',');
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await c.client.patch(depRef('rec'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } } }, 'strategic');
  await eventually(async () => { const x = await rolledOut('rec'); return x && x.status?.updatedReplicas === 3 && (await replicaSetsOf('rec')).length === 2 && x; }, 'rec v2', 30_000);
  stop = true;
  await watcher;
  assert.equal(mixed, '');
  const msgs = (await c.events(NS, 'rec')).map((e) => e.message ?? '');
  assert.ok(msgs.some((m) => /^Scaled down replica set rec-\w+ from 3 to 0$/.test(m)), msgs.join('\n'));
});

test('deployment: paused holds the rollout (DeploymentPaused), resume continues it', async () => {
  await c.client.create(depRef(), deployment('pz', 2));
  await eventually(() => rolledOut('pz'), 'pz rolled out', 20_000);
  await c.client.patch(depRef('pz'), { spec: { paused: true } }, 'merge');
  const paused = await eventually(async () => { const d = await getDep('pz'); return cond(d, 'Progressing')?.reason === 'DeploymentPaused' && d; }, 'paused condition');
  const p = cond(paused, 'Progressing');
  assert.deepEqual([p?.status, p?.message], ['Unknown', 'Deployment is paused']);
  await c.client.patch(depRef('pz'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } } }, 'strategic');
  await eventually(async () => { const d = await getDep('pz'); return d.status?.observedGeneration === d.metadata?.generation; }, 'paused spec observed');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await replicaSetsOf('pz')).length, 1, 'no new RS while paused');
  await c.client.patch(depRef('pz'), { spec: { paused: false } }, 'merge');
  await eventually(async () => (await replicaSetsOf('pz')).length === 2, 'new RS after resume');
  const d = await eventually(async () => { const x = await rolledOut('pz'); return x && x.status?.updatedReplicas === 2 && x.status.replicas === 2 && x; }, 'pz v2', 20_000);
  assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
});

test('deployment: revisionHistoryLimit keeps only the newest idle RSs', async () => {
  await c.client.create(depRef(), deployment('hist', 1, { revisionHistoryLimit: 1 }));
  for (const img of ['img:2', 'img:3', 'img:4']) {
    await eventually(() => rolledOut('hist'), 'hist rolled out', 20_000);
    await c.client.patch(depRef('hist'), { spec: { template: { spec: { containers: [{ name: 'c', image: img }] } } } }, 'strategic');
  }
  await eventually(async () => {
    const rss = await replicaSetsOf('hist');
    return rss.length === 2 && rss.map(image).sort().join() === 'img:3,img:4';
  }, 'only 2 RSs left (current + 1 history)', 20_000);
  const revs = (await replicaSetsOf('hist')).map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort();
  assert.deepEqual(revs, ['3', '4']);
});

test('deployment: a rollout that cannot progress ends in ProgressDeadlineExceeded', async () => {
  await c.client.create(depRef(), deployment('stuck', 1, {
    progressDeadlineSeconds: 2,
    template: { metadata: { labels: { app: 'stuck' } }, spec: { nodeSelector: { nowhere: 'true' }, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'img:1' }] } },
  }));
  const d = await eventually(async () => { const x = await getDep('stuck'); return cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && x; }, 'deadline exceeded', 15_000);
  const [rs] = await replicaSetsOf('stuck');
  const p = cond(d, 'Progressing');
  assert.deepEqual([p?.status, p?.message], ['False', `ReplicaSet "${rs.metadata?.name}" has timed out progressing.`]);
  const a = cond(d, 'Available');
  assert.deepEqual([a?.status, a?.reason, a?.message], ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
  assert.equal(d.status?.unavailableReplicas, 1);
});

test('deployment: adopts a matching orphan ReplicaSet instead of creating another', async () => {
  const dep = deployment('orph', 2);
  // An orphan RS with exactly the template the Deployment would create (e.g. left by --cascade=orphan).
  await c.client.create(rsRef(), {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'orph-manual', namespace: NS, labels: { app: 'orph' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'orph', 'pod-template-hash': 'manual' } }, template: { ...dep.spec!.template, metadata: { labels: { app: 'orph', 'pod-template-hash': 'manual' } } } },
  } as ReplicaSet);
  await c.client.create(depRef(), dep);
  const d = await eventually(() => rolledOut('orph'), 'orph rolled out', 20_000);
  const rss = await replicaSetsOf('orph');
  assert.equal(rss.length, 1);
  assert.equal(rss[0].metadata?.ownerReferences?.[0]?.uid, d.metadata?.uid);
  assert.equal(rss[0].metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
});

test('deployment: an RS relabelled out of the selector is released; the name clash bumps collisionCount', async () => {
  await c.client.create(depRef(), deployment('rel', 1));
  await eventually(() => rolledOut('rel'), 'rel rolled out', 20_000);
  const [first] = await replicaSetsOf('rel');
  await c.client.patch(rsRef(first.metadata?.name), { metadata: { labels: { app: 'released' } } }, 'merge');
  const released = await eventually(async () => {
    const rs = await c.client.get<ReplicaSet>(rsRef(first.metadata?.name));
    return !(rs.metadata?.ownerReferences ?? []).some((r) => r.controller) && rs;
  }, 'ownerReference removed');
  assert.equal(released.metadata?.labels?.app, 'released');
  // The template's hash names an RS that is no longer ours: collisionCount moves the new one elsewhere.
  const d = await eventually(async () => { const x = await rolledOut('rel'); return x && (x.status?.collisionCount ?? 0) >= 1 && x; }, 'new RS after collision', 20_000);
  const [second] = await replicaSetsOf('rel');
  assert.notEqual(second.metadata?.name, first.metadata?.name);
  assert.equal(second.metadata?.ownerReferences?.[0]?.uid, d.metadata?.uid);
});
