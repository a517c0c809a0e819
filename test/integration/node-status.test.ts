// Integration: the real kubelet's node registration, status and Lease heartbeat against the
// in-process API server — the Node's addresses, capacity, nodeInfo, conditions, podCIDR and kubelet
// endpoint; conditions owned by others surviving our strategic-merge status patches; the Lease
// renewing and stopping with stop(); and a restarted manager adopting the same Node and podCIDR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { startTestServer, type TestServer } from './harness.js';
import { KubeClient, type ResourceRef } from '../../src/client/http-client.js';
import { startNodeStatus, type NodeStatusOptions } from '../../src/kubelet/nodestatus/node-status-manager.js';

let ts: TestServer;
let client: KubeClient;
let dataDir: string;
const nodeRef = (name: string, subresource?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'nodes', name, subresource });
const leaseRef = (name: string): ResourceRef => ({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name });
/** Errors the managers reported; none are expected. */
const errors: unknown[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  dataDir = mkdtempSync(join(tmpdir(), 'skiff-nodestatus-'));
});
after(async () => {
  assert.deepEqual(errors, []);
  client.close();
  await ts.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const opts = (over: Partial<NodeStatusOptions> = {}): NodeStatusOptions => ({
  nodeName: 'node-a',
  nodeIP: '127.0.0.1',
  hostname: 'node-a',
  podCIDR: '10.42.7.0/24',
  kubeletPort: 10250,
  runtimeVersion: 'runc://1.1.5',
  kubeletVersion: 'v1.31.0',
  dataDir,
  labels: { 'node-role.kubernetes.io/worker': '' },
  images: () => [{ names: ['docker.io/library/busybox@sha256:abc', 'docker.io/library/busybox:latest'], sizeBytes: 2_000_000 }, { names: ['registry.local/big:1'], sizeBytes: 90_000_000 }],
  statusPeriodMs: 200,
  leasePeriodMs: 150,
  onError: (e) => errors.push(e),
  ...over,
});

test('registers the Node with status, renews its Lease, stops renewing after stop()', async () => {
  const ns = await startNodeStatus(client, opts());
  let stopped = false;
  try {
    const n = await client.get<Node>(nodeRef('node-a'));
    assert.equal(ns.node()?.metadata?.uid, n.metadata?.uid);
    assert.equal(n.metadata?.labels?.['kubernetes.io/hostname'], 'node-a');
    assert.equal(n.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(n.metadata?.labels?.['kubernetes.io/arch'], 'amd64');
    assert.equal(n.metadata?.labels?.['beta.kubernetes.io/arch'], 'amd64');
    assert.equal(n.metadata?.labels?.['node-role.kubernetes.io/worker'], '');
    assert.equal(n.spec?.podCIDR, '10.42.7.0/24');
    assert.deepEqual(n.spec?.podCIDRs, ['10.42.7.0/24']);
    const s = n.status!;
    assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-a' }]);
    assert.equal(s.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
    assert.equal(s.capacity?.pods, '110');
    assert.ok(Number(s.capacity?.cpu) >= 1);
    assert.match(s.capacity?.memory ?? '', /^\d+(Ki|Mi)?$/);
    assert.ok(s.capacity?.['ephemeral-storage']);
    assert.ok(s.allocatable?.memory && s.allocatable.memory !== s.capacity?.memory, 'allocatable memory excludes the eviction threshold');
    assert.equal(s.nodeInfo?.containerRuntimeVersion, 'runc://1.1.5');
    assert.equal(s.nodeInfo?.kubeletVersion, 'v1.31.0');
    assert.equal(s.nodeInfo?.operatingSystem, 'linux');
    assert.equal(s.nodeInfo?.architecture, 'amd64');
    assert.ok(s.nodeInfo?.kernelVersion && s.nodeInfo.osImage && s.nodeInfo.bootID && s.nodeInfo.systemUUID);
    const ready = s.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.equal(ready?.reason, 'KubeletReady');
    assert.deepEqual(s.conditions?.map((c) => c.type).sort(), ['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
    assert.deepEqual(s.images?.map((i) => i.names?.[0]), ['registry.local/big:1', 'docker.io/library/busybox@sha256:abc']);

    // Another writer's condition survives our status posts (strategic merge by condition type).
    await client.patch(nodeRef('node-a', 'status'), { status: { conditions: [{ type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'ok' }] } }, 'strategic');
    await ns.updateNow();
    const after1 = await client.get<Node>(nodeRef('node-a'));
    assert.deepEqual(after1.status?.conditions?.map((c) => c.type).sort(), ['DiskPressure', 'MemoryPressure', 'NetworkUnavailable', 'PIDPressure', 'Ready']);
    assert.equal(after1.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, ready?.lastTransitionTime, 'lastTransitionTime is stable');

    const l1 = await client.get<Lease>(leaseRef('node-a'));
    assert.equal(l1.spec?.holderIdentity, 'node-a');
    assert.equal(l1.spec?.leaseDurationSeconds, 40);
    assert.match(l1.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(l1.metadata?.ownerReferences?.[0]?.uid, n.metadata?.uid);
    const t1 = Date.parse(l1.spec!.renewTime!);
    let t2 = t1;
    for (let i = 0; i < 100 && t2 === t1; i++) {
      await sleep(50);
      t2 = Date.parse((await client.get<Lease>(leaseRef('node-a'))).spec!.renewTime!);
    }
    assert.ok(t2 > t1, 'the Lease is renewed');

    await ns.stop();
    stopped = true;
    const frozen = (await client.get<Lease>(leaseRef('node-a'))).spec?.renewTime;
    await sleep(500);
    assert.equal((await client.get<Lease>(leaseRef('node-a'))).spec?.renewTime, frozen, 'no renewals after stop()');

    const events = (await client.list<Event>({ group: '', version: 'v1', resource: 'events', namespace: 'default' })).items.filter((e) => e.involvedObject.name === 'node-a');
    const reasons = events.map((e) => e.reason);
    assert.ok(reasons.includes('Starting'), reasons.join(','));
    const nr = events.find((e) => e.reason === 'NodeReady');
    assert.equal(nr?.message, 'Node node-a status is now: NodeReady');
    assert.equal(nr?.involvedObject.kind, 'Node');
    assert.equal(nr?.source?.component, 'kubelet');
  } finally {
    if (!stopped) await ns.stop();
  }
});

test('a restarted manager keeps the same Node and its podCIDR', async () => {
  const before = await client.get<Node>(nodeRef('node-a'));
  const ns = await startNodeStatus(client, opts({ podCIDR: '10.42.99.0/24', labels: { extra: 'yes' }, nodeIP: '127.0.0.2' }));
  try {
    const n = await client.get<Node>(nodeRef('node-a'));
    assert.equal(n.metadata?.uid, before.metadata?.uid);
    assert.equal(n.spec?.podCIDR, '10.42.7.0/24', 'the existing podCIDR wins');
    assert.equal(ns.node()?.spec?.podCIDR, '10.42.7.0/24');
    assert.equal(n.metadata?.labels?.extra, 'yes');
    assert.equal(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address, '127.0.0.2');
    assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, before.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  } finally {
    await ns.stop();
  }
});

test('a Node without a podCIDR gets ours on adoption, and a Lease', async () => {
  await client.create<Node>({ group: '', version: 'v1', resource: 'nodes' }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-b' } });
  const ns = await startNodeStatus(client, opts({ nodeName: 'node-b', hostname: 'node-b', podCIDR: '10.42.8.0/24' }));
  try {
    assert.equal((await client.get<Node>(nodeRef('node-b'))).spec?.podCIDR, '10.42.8.0/24');
    await ns.updateNow();
    assert.equal((await client.get<Lease>(leaseRef('node-b'))).spec?.holderIdentity, 'node-b');
  } finally {
    await ns.stop();
  }
});
