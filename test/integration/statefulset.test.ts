// Integration: the StatefulSet controller against an in-process API server with 3 simulated nodes
// and the scheduler. A watch records the pod events in the order the server emitted them, so the
// tests can assert OrderedReady: web-1 is created only after web-0 is Ready, scale-down removes web-2
// completely before web-1 starts terminating. Also: stable identity and claims kept across pod
// deletion and scale-down, a deleted pod recreated under its name, a partitioned rolling update from
// the highest ordinal down, ControllerRevisions, Parallel, and the claim retention policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { WatchHandle } from '../../src/client/index.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { startStatefulSetController } from '../../src/controllers/statefulset/controller.js';

let c: TestCluster;
let watch: WatchHandle;
const NS = 'default';
const stsRef = (name?: string) => ref('apps', 'v1', 'statefulsets', NS, name);
const podsRef = (name?: string) => ref('', 'v1', 'pods', NS, name);
const pvcRef = (name?: string) => ref('', 'v1', 'persistentvolumeclaims', NS, name);
/** `ADDED web-0`, `READY web-0`, `TERMINATING web-2`, `DELETED web-2`, in server order. */
const log: string[] = [];

const statefulSet = (name: string, replicas: number, spec: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'nginx:1.25' }] } },
    ...spec,
  },
});
const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const idx = (entry: string) => {
  const i = log.indexOf(entry);
  assert.ok(i >= 0, `${entry} not seen in ${log.join(', ')}`);
  return i;
};
const getSts = (name: string) => c.client.get<StatefulSet>(stsRef(name));
async function readyIs(name: string, n: number) {
  const s = await getSts(name);
  return s.status?.readyReplicas === n && s.status.replicas === n && s.status.observedGeneration === s.metadata?.generation && s;
}
async function podNames(app: string): Promise<string[]> {
  const l = await c.client.list<Pod>(podsRef(), { labelSelector: `app=${app}` });
  return l.items.map((p) => p.metadata?.name ?? '').sort();
}

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [startStatefulSetController] });
  const ready = new Set<string>();
  const terminating = new Set<string>();
  watch = c.client.watch<Pod>(podsRef(), {}, (ev) => {
    if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') return;
    const p = ev.object;
    const name = p.metadata?.name ?? '';
    if (ev.type === 'ADDED') log.push(`ADDED ${name}`);
    if (ev.type === 'DELETED') {
      log.push(`DELETED ${name}`);
      ready.delete(name);
      terminating.delete(name);
      return;
    }
    if (p.metadata?.deletionTimestamp && !terminating.has(name)) {
      terminating.add(name);
      log.push(`TERMINATING ${name}`);
    }
    const isReady = p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
    if (isReady && !ready.has(name)) {
      ready.add(name);
      log.push(`READY ${name}`);
    }
  });
});
after(async () => {
  watch?.abort();
  await c?.close();
});

test('statefulset: ordered creation with stable identity, claims and events', async () => {
  await c.client.create(stsRef(), statefulSet('web', 3, { volumeClaimTemplates: [claimTemplate] }));
  const sts = await eventually(() => readyIs('web', 3), 'web 3/3 ready', 20_000);
  // OrderedReady: each pod is created only once its predecessor is Ready.
  assert.ok(idx('ADDED web-0') < idx('READY web-0'));
  assert.ok(idx('READY web-0') < idx('ADDED web-1'));
  assert.ok(idx('READY web-1') < idx('ADDED web-2'));
  assert.deepEqual(await podNames('web'), ['web-0', 'web-1', 'web-2']);
  const pod = await c.client.get<Pod>(podsRef('web-1'));
  assert.equal(pod.spec?.hostname, 'web-1');
  assert.equal(pod.spec?.subdomain, 'web');
  assert.equal(pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pod.metadata?.labels?.['apps.kubernetes.io/pod-index'], '1');
  assert.equal(pod.metadata?.labels?.['controller-revision-hash'], sts.status?.updateRevision);
  assert.equal(pod.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, 'data-web-1');
  assert.deepEqual([pod.metadata?.ownerReferences?.[0].kind, pod.metadata?.ownerReferences?.[0].name, pod.metadata?.ownerReferences?.[0].controller], ['StatefulSet', 'web', true]);
  const claims = await c.client.list<PersistentVolumeClaim>(pvcRef(), { labelSelector: 'app=web' });
  assert.deepEqual(claims.items.map((x) => x.metadata?.name).sort(), ['data-web-0', 'data-web-1', 'data-web-2']);
  // Status: one revision, everything current.
  const s = sts.status!;
  assert.equal(s.currentRevision, s.updateRevision);
  assert.match(s.updateRevision ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.deepEqual([s.currentReplicas, s.updatedReplicas, s.availableReplicas, s.collisionCount], [3, 3, 3, 0]);
  const revs = await c.client.list<ControllerRevision>(ref('apps', 'v1', 'controllerrevisions', NS));
  const mine = revs.items.filter((r) => r.metadata?.ownerReferences?.[0]?.uid === sts.metadata?.uid);
  assert.deepEqual(mine.map((r) => [r.metadata?.name, r.revision]), [[s.updateRevision, 1]]);
  const messages = (await c.events(NS, 'web')).map((e) => `${e.reason}: ${e.message}`);
  assert.ok(messages.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'), messages.join('\n'));
  assert.ok(messages.includes('SuccessfulCreate: create Claim data-web-0 Pod web-0 in StatefulSet web success'), messages.join('\n'));
});

test('statefulset: a deleted pod comes back under its name with its claim', async () => {
  const old = await c.client.get<Pod>(podsRef('web-1'));
  await c.client.delete(podsRef('web-1'));
  const back = await eventually(async () => {
    const p = await c.client.get<Pod>(podsRef('web-1')).catch(() => undefined);
    return p && p.metadata?.uid !== old.metadata?.uid && p.status?.phase === 'Running' && p;
  }, 'web-1 recreated', 20_000);
  assert.equal(back.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, 'data-web-1');
  await eventually(() => readyIs('web', 3), 'web 3/3 ready again', 20_000);
});

test('statefulset: scale down deletes from the highest ordinal, one at a time; claims are kept', async () => {
  const start = log.length;
  await c.client.patch(stsRef('web'), { spec: { replicas: 1 } }, 'merge');
  await eventually(() => readyIs('web', 1), 'web scaled to 1', 20_000);
  assert.deepEqual(await podNames('web'), ['web-0']);
  const seen = log.slice(start);
  assert.deepEqual(seen, ['TERMINATING web-2', 'DELETED web-2', 'TERMINATING web-1', 'DELETED web-1']);
  const claims = await c.client.list<PersistentVolumeClaim>(pvcRef(), { labelSelector: 'app=web' });
  assert.equal(claims.items.length, 3);
  const messages = (await c.events(NS, 'web')).map((e) => `${e.reason}: ${e.message}`);
  assert.ok(messages.includes('SuccessfulDelete: delete Pod web-2 in StatefulSet web successful'), messages.join('\n'));
});

test('statefulset: partitioned rolling update goes from the highest ordinal down to the partition', async () => {
  await c.client.create(stsRef(), statefulSet('roll', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
  const v1 = await eventually(() => readyIs('roll', 3), 'roll 3/3 ready', 20_000);
  const start = log.length;
  await c.client.patch(stsRef('roll'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } }, 'strategic');
  const s = await eventually(async () => {
    const x = await getSts('roll');
    return x.status?.updatedReplicas === 2 && x.status.readyReplicas === 3 && x.status.observedGeneration === x.metadata?.generation && x;
  }, 'roll-2 and roll-1 updated', 20_000);
  assert.equal(s.status?.currentRevision, v1.status?.currentRevision);
  assert.notEqual(s.status?.updateRevision, s.status?.currentRevision);
  assert.equal(s.status?.currentReplicas, 1);
  const image = async (n: string) => (await c.client.get<Pod>(podsRef(n))).spec?.containers[0].image;
  assert.deepEqual([await image('roll-0'), await image('roll-1'), await image('roll-2')], ['nginx:1.25', 'nginx:1.26', 'nginx:1.26']);
  const after = log.slice(start);
  const at = (e: string) => after.indexOf(e);
  assert.ok(at('TERMINATING roll-2') >= 0 && at('TERMINATING roll-2') < at('READY roll-2') && at('READY roll-2') < at('TERMINATING roll-1'), after.join(', '));
  assert.ok(!after.includes('TERMINATING roll-0'));
  // Partition 0 finishes the roll; the current revision becomes the update revision.
  await c.client.patch(stsRef('roll'), { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, 'merge');
  const done = await eventually(async () => {
    const x = await getSts('roll');
    return x.status?.currentRevision === x.status?.updateRevision && x.status?.updatedReplicas === 3 && x.status.readyReplicas === 3 && x;
  }, 'roll complete', 20_000);
  assert.equal(done.status?.currentRevision, s.status?.updateRevision);
  assert.equal(await image('roll-0'), 'nginx:1.26');
  const revs = await c.client.list<ControllerRevision>(ref('apps', 'v1', 'controllerrevisions', NS));
  const mine = revs.items.filter((r) => r.metadata?.ownerReferences?.[0]?.uid === done.metadata?.uid).map((r) => r.revision).sort();
  assert.deepEqual(mine, [1, 2]);
});

test('statefulset: Parallel creates every pod at once, OrderedReady waits for the first', async () => {
  // Pods that can never be scheduled stay Pending, so only the policy decides how many get created.
  const nowhere = (name: string, policy: 'Parallel' | 'OrderedReady') => {
    const s = statefulSet(name, 3, { podManagementPolicy: policy });
    s.spec!.template.spec!.nodeSelector = { nowhere: 'true' };
    return s;
  };
  await c.client.create(stsRef(), nowhere('par', 'Parallel'));
  await c.client.create(stsRef(), nowhere('ord', 'OrderedReady'));
  await eventually(async () => (await podNames('par')).length === 3, 'par-0..2 created', 10_000);
  const ord = await eventually(async () => {
    const s = await getSts('ord');
    return s.status?.replicas === 1 && s;
  }, 'ord-0 created', 10_000);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await podNames('ord'), ['ord-0']);
  assert.equal(ord.status?.readyReplicas ?? 0, 0);
  assert.deepEqual(await podNames('par'), ['par-0', 'par-1', 'par-2']);
  await c.client.delete(stsRef('par'));
  await c.client.delete(stsRef('ord'));
});

test('statefulset: whenDeleted=Delete makes the set own its claims; Retain leaves them unowned', async () => {
  const sts = await c.client.create<StatefulSet>(
    stsRef(),
    statefulSet('del', 2, { podManagementPolicy: 'Parallel', volumeClaimTemplates: [claimTemplate], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }),
  );
  await eventually(() => readyIs('del', 2), 'del 2/2 ready', 20_000);
  await eventually(async () => {
    const claim = await c.client.get<PersistentVolumeClaim>(pvcRef('data-del-1'));
    return claim.metadata?.ownerReferences?.some((r) => r.kind === 'StatefulSet' && r.uid === sts.metadata?.uid);
  }, 'data-del-1 owned by del', 10_000);
  const kept = await c.client.get<PersistentVolumeClaim>(pvcRef('data-web-0'));
  assert.equal(kept.metadata?.ownerReferences, undefined);
});

test('statefulset: OnDelete leaves pods alone until they are deleted, then recreates them at the new revision', async () => {
  await c.client.create(stsRef(), statefulSet('ond', 2, { updateStrategy: { type: 'OnDelete' } }));
  await eventually(() => readyIs('ond', 2), 'ond 2/2 ready', 20_000);
  await c.client.patch(stsRef('ond'), { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } }, 'strategic');
  const s = await eventually(async () => {
    const x = await getSts('ond');
    return x.status?.observedGeneration === x.metadata?.generation && x.status?.updateRevision !== x.status?.currentRevision && x;
  }, 'new revision observed', 10_000);
  await new Promise((r) => setTimeout(r, 500));
  const image = async (n: string) => (await c.client.get<Pod>(podsRef(n))).spec?.containers[0].image;
  assert.deepEqual([await image('ond-0'), await image('ond-1')], ['nginx:1.25', 'nginx:1.25']);
  assert.equal(s.status?.updatedReplicas ?? 0, 0);
  await c.client.delete(podsRef('ond-1'));
  await eventually(async () => (await image('ond-1').catch(() => undefined)) === 'nginx:1.26', 'ond-1 recreated at the new revision', 20_000);
  const after = await eventually(async () => {
    const x = await getSts('ond');
    return x.status?.updatedReplicas === 1 && x.status.readyReplicas === 2 && x;
  }, 'ond status 1 updated', 10_000);
  assert.equal(after.status?.currentReplicas, 1);
  assert.equal(await image('ond-0'), 'nginx:1.25');
});
