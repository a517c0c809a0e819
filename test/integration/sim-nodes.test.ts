// Integration: simulated nodes against the in-process API server — registration (labels, zones,
// podCIDRs, status via the status subresource, heartbeat Leases), a bound pod going Running with an IP
// from its node's podCIDR, simulated exits under restartPolicy Never/Always, graceful deletion,
// NotReady nodes whose Lease stops renewing, and registering a couple of hundred nodes quickly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { startTestServer, type TestServer } from './harness.js';
import { KubeClient, type ResourceRef } from '../../src/client/http-client.js';
import { startSimNodes, type SimNodes } from '../../src/kubelet/sim/sim-nodes.js';
import { ipInCIDR } from '../../src/kubelet/sim/node-spec.js';

let ts: TestServer;
let client: KubeClient;
let sim: SimNodes;
const nodeRef = (name?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'nodes', name });
const podRef = (name?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'pods', namespace: 'default', name });
const leaseRef = (name: string): ResourceRef => ({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(f: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function boundPod(name: string, node: string, annotations: Record<string, string> = {}, restartPolicy = 'Always'): Promise<void> {
  await client.create<Pod>(podRef(), {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations },
    spec: { restartPolicy, containers: [{ name: 'c', image: 'registry.example/app:1' }] },
  });
  await client.request('POST', `/api/v1/namespaces/default/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
}
const podWhere = (name: string, ok: (p: Pod) => boolean) => async () => {
  const p = await client.get<Pod>(podRef(name));
  return ok(p) ? p : undefined;
};

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  sim = await startSimNodes(client, { count: 3, namePrefix: 'sim-', heartbeatMs: 200, onError: () => undefined });
});
after(async () => {
  await sim.stop();
  client.close();
  await ts.close();
});

test('sim nodes: registered with capacity, labels, zones, podCIDRs, status and a Lease each', async () => {
  assert.deepEqual(sim.names, ['sim-0', 'sim-1', 'sim-2']);
  const zones: string[] = [];
  for (const [i, name] of sim.names.entries()) {
    const n = await client.get<Node>(nodeRef(name));
    assert.equal(n.metadata?.labels?.['kubernetes.io/hostname'], name);
    assert.equal(n.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(n.metadata?.labels?.['kubernetes.io/arch'], 'amd64');
    assert.ok(n.metadata?.labels?.['node.kubernetes.io/instance-type']);
    zones.push(n.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '');
    assert.equal(n.spec?.podCIDR, `10.42.${i}.0/24`);
    assert.equal(n.status?.capacity?.cpu, '32');
    assert.equal(n.status?.capacity?.memory, '256Gi');
    assert.equal(n.status?.allocatable?.pods, '110');
    assert.ok(n.status?.capacity?.['ephemeral-storage']);
    const cond = Object.fromEntries((n.status?.conditions ?? []).map((c) => [c.type, c.status]));
    assert.deepEqual(cond, { Ready: 'True', MemoryPressure: 'False', DiskPressure: 'False', PIDPressure: 'False' });
    assert.ok(n.status?.conditions?.every((c) => c.lastHeartbeatTime));
    assert.deepEqual(n.status?.addresses?.map((a) => a.type), ['InternalIP', 'Hostname']);
    assert.ok(ipInCIDR(n.status!.addresses![0]!.address, '198.18.0.0/15'));
    assert.equal(n.status?.nodeInfo?.kubeletVersion, 'v1.31.0');
    assert.equal(n.status?.nodeInfo?.containerRuntimeVersion, 'skiff-sim://0.1');
    const lease = await client.get<Lease>(leaseRef(name));
    assert.equal(lease.spec?.holderIdentity, name);
    assert.equal(lease.metadata?.ownerReferences?.[0]?.uid, n.metadata?.uid);
  }
  assert.equal(new Set(zones).size, 3, 'spread over three zones');
});

test('sim nodes: a Lease renews every heartbeat; setReady(false) stops it, setReady(true) resumes', async () => {
  const first = (await client.get<Lease>(leaseRef('sim-1'))).spec?.renewTime;
  await eventually(async () => ((await client.get<Lease>(leaseRef('sim-1'))).spec?.renewTime !== first ? true : undefined), 'a renewal');
  sim.setReady('sim-1', false);
  await sleep(300); // let a renewal already in flight land
  const frozen = (await client.get<Lease>(leaseRef('sim-1'))).spec?.renewTime;
  await sleep(500);
  assert.equal((await client.get<Lease>(leaseRef('sim-1'))).spec?.renewTime, frozen, 'no renewals while NotReady');
  sim.setReady('sim-1', true);
  await eventually(async () => ((await client.get<Lease>(leaseRef('sim-1'))).spec?.renewTime !== frozen ? true : undefined), 'renewals resume');
});

test('sim nodes: a bound pod goes Running with an IP from its node podCIDR', async () => {
  await boundPod('web', 'sim-2');
  const p = await eventually(podWhere('web', (p) => p.status?.phase === 'Running'), 'web Running');
  assert.ok(ipInCIDR(p.status!.podIP!, '10.42.2.0/24'), p.status?.podIP);
  assert.ok(p.status?.hostIP && p.status.startTime);
  const cond = Object.fromEntries((p.status?.conditions ?? []).map((c) => [c.type, c.status]));
  for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) assert.equal(cond[t], 'True', t);
  const cs = p.status?.containerStatuses?.[0];
  assert.equal(cs?.ready, true);
  assert.equal(cs?.started, true);
  assert.equal(cs?.restartCount, 0);
  assert.ok(cs?.state?.running?.startedAt);
  assert.equal(cs?.image, 'registry.example/app:1');
  assert.ok(cs?.imageID && cs.containerID?.startsWith('sim://'));
  await boundPod('web2', 'sim-2');
  const p2 = await eventually(podWhere('web2', (p) => p.status?.phase === 'Running'), 'web2 Running');
  assert.notEqual(p2.status?.podIP, p.status?.podIP, 'distinct pod IPs on one node');
});

test('sim nodes: exit annotations — Never ends Succeeded or Failed, Always restarts', async () => {
  await boundPod('ok', 'sim-0', { 'sim.skiff.dev/exit-after': '300ms' }, 'Never');
  await boundPod('bad', 'sim-0', { 'sim.skiff.dev/exit-after': '300ms', 'sim.skiff.dev/exit-code': '3' }, 'Never');
  await boundPod('loop', 'sim-1', { 'sim.skiff.dev/exit-after': '300ms', 'sim.skiff.dev/exit-code': '1' }, 'Always');
  const ok = await eventually(podWhere('ok', (p) => p.status?.phase === 'Succeeded'), 'ok Succeeded');
  assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
  assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
  const bad = await eventually(podWhere('bad', (p) => p.status?.phase === 'Failed'), 'bad Failed');
  assert.equal(bad.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
  assert.equal(bad.status?.containerStatuses?.[0]?.state?.running, undefined);
  const loop = await eventually(podWhere('loop', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1), 'loop restarted');
  assert.equal(loop.status?.phase, 'Running');
  assert.equal(loop.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
});

test('sim nodes: OnFailure — a non-zero exit restarts, exit 0 ends Succeeded', async () => {
  await boundPod('of-bad', 'sim-1', { 'sim.skiff.dev/exit-after': '200ms', 'sim.skiff.dev/exit-code': '2' }, 'OnFailure');
  await boundPod('of-ok', 'sim-1', { 'sim.skiff.dev/exit-after': '200ms' }, 'OnFailure');
  const bad = await eventually(podWhere('of-bad', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1), 'of-bad restarted');
  assert.equal(bad.status?.phase, 'Running');
  await eventually(podWhere('of-ok', (p) => p.status?.phase === 'Succeeded'), 'of-ok Succeeded');
  await client.delete(podRef('of-bad'), { gracePeriodSeconds: 0 });
});

test('sim nodes: a restarted simulator adopts its nodes and keeps running pods and their IPs', async () => {
  const before = await client.get<Pod>(podRef('web'));
  await sim.stop();
  sim = await startSimNodes(client, { count: 3, namePrefix: 'sim-', heartbeatMs: 200, onError: () => undefined });
  await boundPod('web3', 'sim-2');
  const p3 = await eventually(podWhere('web3', (p) => p.status?.phase === 'Running'), 'web3 Running');
  const web = await client.get<Pod>(podRef('web'));
  const web2 = await client.get<Pod>(podRef('web2'));
  assert.equal(web.status?.podIP, before.status?.podIP);
  assert.equal(web.status?.containerStatuses?.[0]?.restartCount, 0);
  assert.ok(![web.status?.podIP, web2.status?.podIP].includes(p3.status?.podIP), 'no IP handed out twice');
  assert.equal((await client.get<Node>(nodeRef('sim-2'))).spec?.podCIDR, '10.42.2.0/24');
});

test('sim nodes: deleting a bound pod removes it after the grace period', async () => {
  await boundPod('gone', 'sim-0');
  await eventually(podWhere('gone', (p) => p.status?.phase === 'Running'), 'gone Running');
  const t0 = Date.now();
  await client.delete(podRef('gone'), { gracePeriodSeconds: 1 });
  const during = await client.get<Pod>(podRef('gone'));
  assert.ok(during.metadata?.deletionTimestamp, 'still there, terminating');
  await eventually(async () => client.get(podRef('gone')).then(() => undefined, () => true), 'pod removed');
  assert.ok(Date.now() - t0 >= 900, 'waited for the grace period');
});

test('sim nodes: 200 nodes register quickly', async () => {
  const t0 = Date.now();
  const big = await startSimNodes(client, { count: 200, namePrefix: 'scale-', onError: () => undefined });
  try {
    const ms = Date.now() - t0;
    assert.ok(ms < 6000, `took ${ms} ms`);
    const list = await client.list<Node>(nodeRef(), { labelSelector: 'type=skiff-sim' });
    assert.equal(list.items.filter((n) => n.metadata?.name?.startsWith('scale-')).length, 200);
    // A second simulator takes the slots the first one (sim-0..2: 10.42.0–2.0/24) left free.
    assert.equal(list.items.find((x) => x.metadata?.name === 'scale-0')?.spec?.podCIDR, '10.42.3.0/24');
    assert.equal(list.items.find((x) => x.metadata?.name === 'scale-199')?.spec?.podCIDR, '10.42.202.0/24');
    const cidrs = list.items.map((x) => x.spec?.podCIDR);
    const ips = list.items.map((x) => x.status?.addresses?.find((a) => a.type === 'InternalIP')?.address);
    assert.equal(new Set(cidrs).size, cidrs.length, 'no pod CIDR shared by two nodes');
    assert.equal(new Set(ips).size, ips.length, 'no node address shared by two nodes');
  } finally {
    await big.stop();
  }
});
