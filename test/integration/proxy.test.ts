// The Service proxy against the real kernel, in both modes (iptables, then nftables on the same
// topology — each must leave it clean for the next), all inside network namespaces this test creates
// (needs root): a "node" namespace with a bridge for the pod network 10.42.0.0/24, two "pods" serving HTTP
// with busybox httpd, a client pod, and an "outside" namespace on a veth acting as a remote client of
// the node address 192.168.77.1. The proxy programs the node namespace (commandPrefix ip netns exec)
// from a fake API holding a NodePort Service and its EndpointSlice. Checked: the cluster IP reaches
// both backends, the node port answers from outside, the node itself can use the cluster IP, a
// ClientIP affinity keeps a client on one backend, a service without endpoints and an unused service
// IP are refused at once, and stop() leaves no chain, table or route behind. Every namespace (and so every veth, bridge and rule) is deleted afterwards.
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { FakeListerWatcher } from '../../src/proxy/fake-lister-watcher.js';
import { startProxy, type RunningProxy } from '../../src/proxy/index.js';
import { makeNodeBridge, plugPod } from '../support/pod-bridge.js';

const tag = randomBytes(3).toString('hex');
const NODE = `skt-${tag}`;
const PODS = { a: `skt-${tag}-a`, b: `skt-${tag}-b`, client: `skt-${tag}-c` };
const OUTSIDE = `skt-${tag}-o`;
const namespaces = [NODE, PODS.a, PODS.b, PODS.client, OUTSIDE];
const TABLE = `skt-${tag}`;
const SVC = { group: '', resource: 'services' };
const EPS = { group: 'discovery.k8s.io', resource: 'endpointslices' };

interface Out { code: number; stdout: string; stderr: string; ms: number }
function sh(argv: string[], timeoutMs = 10_000): Promise<Out> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
async function must(argv: string[]): Promise<string> {
  const r = await sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const inNs = (ns: string, ...argv: string[]) => must(['ip', 'netns', 'exec', ns, ...argv]);
/** busybox wget with an outer timeout (its own -T crashes, see SUBSTRATE.md). */
const wget = (ns: string, url: string) => sh(['ip', 'netns', 'exec', ns, 'timeout', '3', '/bin/busybox', 'wget', '-qO-', url]);

const servers: ChildProcess[] = [];
let webRoot = '';
let api: FakeListerWatcher;
let informers: InformerFactory;
let proxy: RunningProxy | undefined;

function service(affinity = false): Service {
  return {
    metadata: { namespace: 'default', name: 'web' },
    spec: { type: 'NodePort', clusterIP: '10.43.0.50', ...(affinity ? { sessionAffinity: 'ClientIP' } : {}), ports: [{ name: 'http', port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }] },
  };
}
function endpointSlice(ready: boolean): EndpointSlice {
  return {
    metadata: { namespace: 'default', name: 'web-abcde', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: ['10.42.0.2', '10.42.0.3'].map((ip) => ({ addresses: [ip], nodeName: 'n1', conditions: { ready } })),
  };
}

before(async () => {
  for (const ns of namespaces) await must(['ip', 'netns', 'add', ns]);
  await makeNodeBridge(NODE);
  await plugPod(NODE, PODS.a, 'va', '10.42.0.2');
  await plugPod(NODE, PODS.b, 'vb', '10.42.0.3');
  await plugPod(NODE, PODS.client, 'vc', '10.42.0.4');
  await inNs(NODE, 'ip', 'link', 'add', 've', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', OUTSIDE);
  await inNs(NODE, 'ip', 'addr', 'add', '192.168.77.1/24', 'dev', 've');
  await inNs(NODE, 'ip', 'link', 'set', 've', 'up');
  await inNs(OUTSIDE, 'ip', 'link', 'set', 'lo', 'up');
  await inNs(OUTSIDE, 'ip', 'addr', 'add', '192.168.77.2/24', 'dev', 'eth0');
  await inNs(OUTSIDE, 'ip', 'link', 'set', 'eth0', 'up');

  webRoot = mkdtempSync(join(tmpdir(), 'skiff-proxy-'));
  for (const [name, ns] of [['A', PODS.a], ['B', PODS.b]] as const) {
    const dir = join(webRoot, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), `backend-${name}\n`);
    servers.push(spawn('ip', ['netns', 'exec', ns, '/bin/busybox', 'httpd', '-f', '-p', '80', '-h', dir], { stdio: 'ignore' }));
  }
  // httpd binds at once; wait until both answer directly so failures below are the proxy's.
  for (const ip of ['10.42.0.2', '10.42.0.3']) {
    for (let i = 0; (await wget(PODS.client, `http://${ip}/`)).code !== 0; i++) {
      if (i > 50) throw new Error(`backend ${ip} never answered`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  api = new FakeListerWatcher();
  api.put(SVC, service());
  api.put(EPS, endpointSlice(true));
  informers = new InformerFactory(api);
});

after(async () => {
  await proxy?.stop().catch(() => {});
  informers?.stop();
  for (const s of servers) s.kill('SIGKILL');
  for (const ns of namespaces) await sh(['ip', 'netns', 'del', ns]);
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** Waits until the proxy has synced what the fake API now holds. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 10));
  await proxy!.idle();
}

for (const mode of ['iptables', 'nftables'] as const) {
  test(`${mode} proxy in a network namespace`, { timeout: 60_000 }, async (t) => {
    proxy = await startProxy(informers, {
      mode,
      nftTable: TABLE,
      nodeName: 'n1',
      nodeIPs: ['192.168.77.1'],
      serviceCIDR: '10.43.0.0/16',
      clusterCIDR: '10.42.0.0/16',
      commandPrefix: ['ip', 'netns', 'exec', NODE],
      minSyncIntervalMs: 20,
    });
    informers.start();
    await proxy.synced;
    await proxy.idle();
    assert.ok(proxy.metrics.syncs >= 1 && proxy.metrics.lastSyncMs > 0);

    await t.test('cluster IP reaches both backends from a pod', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 40 && seen.size < 2; i++) {
        const r = await wget(PODS.client, 'http://10.43.0.50/');
        assert.equal(r.code, 0, r.stderr);
        seen.add(r.stdout.trim());
      }
      assert.deepEqual([...seen].sort(), ['backend-A', 'backend-B']);
    });

    await t.test('node port answers on the node address from outside', async () => {
      const r = await wget(OUTSIDE, 'http://192.168.77.1:30080/');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^backend-[AB]$/m);
    });

    await t.test('the node itself reaches the cluster IP', async () => {
      const r = await wget(NODE, 'http://10.43.0.50/');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^backend-[AB]$/m);
    });

    await t.test('an unused service IP is refused at once', async () => {
      const r = await wget(PODS.client, 'http://10.43.0.99/');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /refused/i);
      // ~1 s here: the REJECT answers the first SYN while connect() holds the socket, so the kernel keeps
      // the error "soft" until the SYN is retransmitted after 1 s. Still far from a 2-minute timeout.
      assert.ok(r.ms < 2900, `took ${r.ms} ms`);
    });

    await t.test('ClientIP affinity keeps a client on one backend', async () => {
      api.put(SVC, service(true));
      await settle();
      const seen = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const r = await wget(PODS.client, 'http://10.43.0.50/');
        assert.equal(r.code, 0, r.stderr);
        seen.add(r.stdout.trim());
      }
      assert.equal(seen.size, 1, [...seen].join(' '));
      api.put(SVC, service(false));
      await settle();
    });

    await t.test('without ready endpoints the cluster IP and node port are refused, not black-holed', async () => {
      const before = proxy!.metrics.syncs;
      api.put(EPS, endpointSlice(false));
      await settle();
      assert.ok(proxy!.metrics.syncs > before);
      for (const [ns, url] of [[PODS.client, 'http://10.43.0.50/'], [NODE, 'http://10.43.0.50/'], [OUTSIDE, 'http://192.168.77.1:30080/']] as const) {
        const r = await wget(ns, url);
        assert.notEqual(r.code, 0, `${url} from ${ns} answered`);
        assert.match(r.stderr, /refused/i, `${url} from ${ns}`);
        assert.ok(r.ms < 2900, `${url} from ${ns} took ${r.ms} ms`);
      }
      api.put(EPS, endpointSlice(true));
      await settle();
      assert.equal((await wget(PODS.client, 'http://10.43.0.50/')).code, 0);
    });

    await t.test('stop() removes every chain, table, jump, route and device it added', async () => {
      if (mode === 'iptables') assert.match(await inNs(NODE, 'iptables-save'), /-A PREROUTING .*-j KUBE-SERVICES/);
      else {
        assert.match(await inNs(NODE, 'nft', 'list', 'tables'), new RegExp(`table ip ${TABLE}\n`));
        assert.doesNotMatch(await inNs(NODE, 'iptables-save'), /KUBE-/, 'nftables mode writes no iptables chain');
      }
      await proxy!.stop();
      proxy = undefined;
      assert.doesNotMatch(await inNs(NODE, 'iptables-save'), /KUBE-/);
      assert.doesNotMatch(await inNs(NODE, 'nft', 'list', 'tables'), new RegExp(`table ip ${TABLE}\n`));
      assert.doesNotMatch(await inNs(NODE, 'ip', 'route'), /10\.43\./);
      assert.doesNotMatch(await inNs(NODE, 'ip', 'link'), /-svc/);
    });
  });
}
