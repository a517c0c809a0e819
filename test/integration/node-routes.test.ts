// Integration: pods across nodes. An in-process API server runs the node IPAM controller; three
// simulated hosts (network namespaces on a test bridge, see test/support/netns-hosts.ts) each
// register a Node — node 0 with a podCIDR of its own (a kubelet flag), the others without — and get
// a pod bridge with one "pod" netns at <podCIDR>.2. A NodeRoutes per host, its commands prefixed with
// `ip netns exec <host>`, must then let every pod ping pods on the other hosts: first in host-gw
// mode, then in vxlan mode (where the packets are seen on the vxlan device). Deleting a Node removes
// its routes everywhere and frees its CIDR; stop() leaves no route, entry or device behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { createHosts, type NetnsHosts, type SimHost } from '../support/netns-hosts.js';
import { startNodeIpamController } from '../../src/controllers/nodeipam/index.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { NodeRoutes } from '../../src/kubelet/network/node-routes.js';
import { run } from '../../src/kubelet/network/command.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const NODES = ref('', 'v1', 'nodes');
let c: TestCluster;
let net: NetnsHosts;
let informers: InformerFactory;
/** Per host: its node name, podCIDR and the pod's netns and address. */
const sites: Array<{ host: SimHost; node: string; podCIDR: string; pod: string; podIP: string }> = [];

before(async () => {
  c = await startTestCluster({ scheduler: false, controllers: [startNodeIpamController] });
  net = await createHosts(3);
  for (const host of net.hosts) {
    const name = `node-${host.index}`;
    await c.client.create<Node>(NODES, { metadata: { name }, spec: host.index === 0 ? { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'] } : {} });
    await c.client.patch({ ...NODES, name, subresource: 'status' }, { status: { addresses: [{ type: 'InternalIP', address: host.ip }, { type: 'Hostname', address: name }] } }, 'merge');
  }
  for (const host of net.hosts) {
    const node = `node-${host.index}`;
    const podCIDR = await eventually(async () => (await c.client.get<Node>({ ...NODES, name: node })).spec?.podCIDR, `${node} podCIDR`);
    const base = podCIDR.replace(/\.0\/24$/, '');
    const pod = await net.addNetns(`p${host.index}`);
    const inPod = (args: string[]) => run('ip', ['netns', 'exec', pod, 'ip', ...args]);
    await host.exec('ip', ['link', 'add', 'cbr0', 'type', 'bridge']);
    await host.exec('ip', ['addr', 'add', `${base}.1/24`, 'dev', 'cbr0']);
    await host.exec('ip', ['link', 'set', 'cbr0', 'up']);
    await host.exec('ip', ['link', 'add', 'vpod', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod]);
    await host.exec('ip', ['link', 'set', 'vpod', 'master', 'cbr0', 'up']);
    await inPod(['addr', 'add', `${base}.2/24`, 'dev', 'eth0']);
    await inPod(['link', 'set', 'eth0', 'up']);
    await inPod(['route', 'add', 'default', 'via', `${base}.1`]);
    sites.push({ host, node, podCIDR, pod, podIP: `${base}.2` });
  }
  informers = new InformerFactory(c.client);
  informers.start();
});

after(async () => {
  informers?.stop();
  await net?.cleanup();
  await c?.close();
});

test('node IPAM: the kubelet-set CIDR is kept, the others get distinct free /24s', () => {
  assert.equal(sites[0]!.podCIDR, '10.42.0.0/24');
  const cidrs = sites.map((s) => s.podCIDR);
  assert.equal(new Set(cidrs).size, 3, cidrs.join(' '));
  for (const cidr of cidrs) assert.match(cidr, /^10\.42\.\d+\.0\/24$/);
});

/** One ping from a pod; a few tries, since the first packet may wait for ARP on a loaded machine. */
async function ping(from: string, to: string, tries = 3): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if ((await run('ip', ['netns', 'exec', from, 'busybox', 'ping', '-c1', '-W1', to], { allowFail: true })).exitCode === 0) return true;
  }
  return false;
}

async function allPairsPing(): Promise<void> {
  for (const a of sites) for (const b of sites) if (a !== b) assert.ok(await ping(a.pod, b.podIP), `${a.node} pod → ${b.node} pod ${b.podIP}`);
}

function startRoutes(mode: 'host-gw' | 'vxlan', log?: (m: string) => void): NodeRoutes[] {
  return net.hosts.map((h) => new NodeRoutes(informers, { nodeName: `node-${h.index}`, nodeIP: h.ip, mode, commandPrefix: h.commandPrefix, resyncMs: 0, log }));
}

const ourRoutes = async (h: SimHost) => (await h.exec('ip', ['-4', 'route', 'show', 'proto', '118'])).stdout.trim();

test('host-gw: pods reach pods on every other host; stop() removes the routes', async () => {
  assert.equal(await ping(sites[0]!.pod, sites[1]!.podIP, 1), false, 'before any route the pod CIDR is unreachable');
  // A node whose address is not on the hosts' segment: its route cannot be installed (and no packet
  // goes anywhere), but it must not keep the reachable peers from being routed.
  await c.client.create<Node>(NODES, { metadata: { name: 'node-far' }, spec: { podCIDR: '10.42.200.0/24', podCIDRs: ['10.42.200.0/24'] } });
  await c.client.patch({ ...NODES, name: 'node-far', subresource: 'status' }, { status: { addresses: [{ type: 'InternalIP', address: '203.0.113.99' }] } }, 'merge');
  await eventually(() => informers.for<Node>(NODES).store.get('node-far')?.status?.addresses?.length, 'node-far cached');
  const logs: string[] = [];
  const routes = startRoutes('host-gw', (m) => logs.push(m));
  try {
    await Promise.all(routes.map((r) => r.start()));
    assert.ok(logs.some((l) => /reconcile failed/.test(l)), logs.join('\n'));
    const r0 = await ourRoutes(net.hosts[0]!);
    assert.match(r0, new RegExp(`${sites[1]!.podCIDR.replace(/\./g, '\\.')} via ${net.hosts[1]!.ip.replace(/\./g, '\\.')}`));
    assert.equal(r0.split('\n').length, 2, r0);
    await allPairsPing();
  } finally {
    await Promise.all(routes.map((r) => r.stop()));
    await c.client.delete({ ...NODES, name: 'node-far' });
  }
  for (const h of net.hosts) assert.equal(await ourRoutes(h), '', `${h.name} keeps no route of ours`);
  assert.equal(await ping(sites[0]!.pod, sites[1]!.podIP, 1), false);
});

test('vxlan: pods reach pods through the tunnel; a deleted node loses its routes; stop() removes the device', async () => {
  const routes = startRoutes('vxlan');
  const dev = routes[0]!.device;
  const txPackets = async (h: SimHost) => {
    const [link] = JSON.parse((await h.exec('ip', ['-j', '-s', 'link', 'show', 'dev', dev])).stdout) as Array<{ stats64: { tx: { packets: number } } }>;
    return link!.stats64.tx.packets;
  };
  try {
    await Promise.all(routes.map((r) => r.start()));
    const shown = (await net.hosts[0]!.exec('ip', ['-d', 'link', 'show', 'dev', dev])).stdout;
    assert.match(shown, /vxlan id 1 local \S+ .*dstport 8472 nolearning/);
    assert.match((await net.hosts[0]!.exec('ip', ['-4', 'addr', 'show', 'dev', dev])).stdout, /inet 10\.42\.0\.0\/32/);
    const before = await txPackets(net.hosts[0]!);
    await allPairsPing();
    assert.ok((await txPackets(net.hosts[0]!)) > before, 'the pings went through the vxlan device');

    // Node 2 leaves: its routes, neighbour and fdb entries go from the other hosts; its CIDR is freed.
    const gone = sites[2]!;
    await c.client.delete({ ...NODES, name: gone.node });
    await eventually(async () => !(await ourRoutes(net.hosts[0]!)).includes(gone.podCIDR) || undefined, 'route to the deleted node removed', 10_000, 100);
    await routes[1]!.reconcile();
    assert.doesNotMatch((await net.hosts[1]!.exec('bridge', ['fdb', 'show', 'dev', dev])).stdout, new RegExp(net.hosts[2]!.ip.replace(/\./g, '\\.')));
    assert.doesNotMatch((await net.hosts[1]!.exec('ip', ['neigh', 'show', 'dev', dev])).stdout, new RegExp(gone.podCIDR.replace(/\.0\/24$/, '.0 ').replace(/\./g, '\\.')));
    assert.ok(await ping(sites[0]!.pod, sites[1]!.podIP), 'the remaining nodes still connect');
    assert.equal(await ping(sites[0]!.pod, gone.podIP, 1), false);
  } finally {
    await Promise.all(routes.map((r) => r.stop()));
  }
  for (const h of net.hosts) {
    assert.equal((await h.exec('ip', ['link', 'show', 'dev', dev], { allowFail: true })).exitCode, 1, `${h.name}: ${dev} removed`);
    assert.equal(await ourRoutes(h), '');
  }
});

test('fixture: exposePort makes a loopback server reachable from the hosts at hostSideIP', async () => {
  const server = createServer((_req, res) => res.end('hello from the root netns'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { ip, port } = await net.exposePort((server.address() as AddressInfo).port, 18080);
    assert.equal(ip, net.hostSideIP);
    const got = await net.hosts[1]!.exec('timeout', ['3', 'busybox', 'wget', '-qO-', `http://${ip}:${port}/`]);
    assert.equal(got.stdout, 'hello from the root netns');
  } finally {
    server.close();
  }
});
