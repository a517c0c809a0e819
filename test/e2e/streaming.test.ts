// kubectl logs, exec, attach, cp and port-forward end to end: the real `skiff server` (API server
// only) proxies pods/log|exec|attach|portforward to a kubelet streaming server running in this test
// process on loopback, backed by a fake node (streaming-backend.ts: a busybox chroot as the
// container, CRI log files written here, a local TCP server behind port 80). Driven by the real
// kubectl 1.27 (SPDY everywhere) and 1.31 (WebSocket v5 for exec, SPDY-in-WebSocket for
// port-forward), plus /usr/bin/kubectl. Root is needed for the chroot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkiffServer, KUBECTL, kubectlVersion, type KubectlResult } from './harness.js';
import { rawRequest } from './raw-client.js';
import { fakeNode, criLine, type FakeNode } from './streaming-backend.js';
import { kubeletServingCert, startKubeletServer, streamSessions, type RunningKubeletServer, type StreamSessionEvent } from '../../src/kubelet/server/index.js';
import { pkiPaths } from '../../src/apiserver/pki/index.js';

const BINS = [kubectlVersion(27), kubectlVersion(31)];
const short = (bin: string) => bin.replace(/.*kubectl\./, '');

let server: SkiffServer;
let kubelet: RunningKubeletServer;
let node: FakeNode;
let web: Server;
let work: string;
const sessions: StreamSessionEvent[] = [];
const onSession = (m: unknown) => sessions.push(m as StreamSessionEvent);

/** kubectl, asynchronously: the kubelet runs in this process, so a blocking spawnSync would deadlock. */
function kubectl(args: string[], opts: { bin?: string; input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const p = spawn(opts.bin ?? KUBECTL, ['--kubeconfig', server.kubeconfig, '--cache-dir', server.cacheDir, ...args], {
      env: { ...process.env, HOME: server.cacheDir },
      cwd: work,
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    p.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    p.stdin.end(opts.input ?? '');
  });
}

function background(args: string[], bin: string) {
  let out = '';
  const p = spawn(bin, ['--kubeconfig', server.kubeconfig, '--cache-dir', server.cacheDir, ...args], { env: { ...process.env, HOME: server.cacheDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => p.once('close', () => r()));
  return { out: () => out, stop: async () => (p.kill('SIGKILL'), await exited) };
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ok(r: { status: number; body: string }, what: string) {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

describe('kubectl logs / exec / attach / cp / port-forward through the kubelet', () => {
  const t0 = Date.now();
  const old = new Date(t0 - 3600_000);
  before(async () => {
    streamSessions.subscribe(onSession);
    work = mkdtempSync(join(tmpdir(), 'skiff-stream-work-'));
    web = createServer((_req, res) => res.end('hello from port 80\n'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    const webPort = (web.address() as { port: number }).port;
    server = await SkiffServer.start(undefined, ['--disable-scheduler', '--disable-controller-manager']);
    node = await fakeNode({ podUid: 'uid-p', forwardTo: { 80: webPort } });
    const logs = join(node.dir, 'c.log');
    const prev = join(node.dir, 'c.prev.log');
    writeFileSync(logs, criLine(old, 'stdout', 'F', 'old line') + criLine(new Date(t0), 'stdout', 'P', 'first ') + criLine(new Date(t0), 'stdout', 'F', 'line') + criLine(new Date(t0 + 1), 'stderr', 'F', 'second line'));
    writeFileSync(prev, criLine(old, 'stdout', 'F', 'from the previous run'));
    node.containers.set('c', { running: true, logPath: logs, previousLogPath: prev });
    node.containers.set('d', { running: false, logPath: join(node.dir, 'd.log') });
    const tls = await kubeletServingCert(['127.0.0.1']);
    kubelet = await startKubeletServer({ host: '127.0.0.1', port: 0, tls, clientCA: readFileSync(pkiPaths(server.dataDir).caCert, 'utf8'), backend: node.backend });

    await ok(await rawRequest(server, 'POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }), 'create node');
    const n = await ok(await rawRequest(server, 'GET', '/api/v1/nodes/n1'), 'get node');
    n.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'n1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } };
    await ok(await rawRequest(server, 'PUT', '/api/v1/nodes/n1/status', n), 'node status');
    const containers = [{ name: 'c', image: 'busybox' }, { name: 'd', image: 'busybox' }];
    await ok(await rawRequest(server, 'POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': 'c' } }, spec: { nodeName: 'n1', containers } }), 'create pod');
    const p = await ok(await rawRequest(server, 'GET', '/api/v1/namespaces/default/pods/p'), 'get pod');
    p.status = { phase: 'Running', podIP: '127.0.0.1' };
    await ok(await rawRequest(server, 'PUT', '/api/v1/namespaces/default/pods/p/status', p), 'pod status');
    await ok(await rawRequest(server, 'POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }), 'create unbound pod');
  });
  after(async () => {
    streamSessions.unsubscribe(onSession);
    await kubelet?.close();
    await server?.destroy();
    node?.cleanup();
    web?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('logs: whole, --tail, --timestamps, --since, --previous, -c, --limit-bytes', async () => {
    for (const bin of [...BINS, KUBECTL]) {
      const all = await kubectl(['logs', 'p'], { bin });
      assert.equal(all.code, 0, all.stderr);
      assert.equal(all.stdout, 'old line\nfirst line\nsecond line\n', short(bin));
    }
    const bin = kubectlVersion(27);
    assert.equal((await kubectl(['logs', 'p', '--tail=1'], { bin })).stdout, 'second line\n');
    const ts = await kubectl(['logs', 'p', '-c', 'c', '--tail=1', '--timestamps'], { bin });
    assert.equal(ts.stdout, `${new Date(t0 + 1).toISOString().replace('Z', '000000Z')} second line\n`);
    assert.equal((await kubectl(['logs', 'p', '--since=10m'], { bin })).stdout, 'first line\nsecond line\n');
    assert.equal((await kubectl(['logs', 'p', '--previous'], { bin })).stdout, 'from the previous run\n');
    assert.equal((await kubectl(['logs', 'p', '--limit-bytes=5'], { bin })).stdout, 'old l');
  });

  test('logs -f streams lines appended while following', async () => {
    let last = 'second line';
    for (const bin of BINS) {
      const f = background(['logs', '-f', 'p', '--tail=1'], bin);
      try {
        await until(() => f.out().includes(last), `${short(bin)}: the last line`);
        const line = `appended for ${short(bin)}`;
        appendFileSync(node.containers.get('c')!.logPath, criLine(new Date(), 'stdout', 'F', line));
        await until(() => f.out().includes(line), `${short(bin)}: the followed line`);
        assert.equal(f.out(), `${last}\n${line}\n`);
        last = line;
      } finally {
        await f.stop();
      }
    }
  });

  test('exec: stdout, stderr and the exit code; stdin with -i', async () => {
    for (const bin of BINS) {
      sessions.length = 0;
      const r = await kubectl(['exec', 'p', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { bin });
      // 1.27 speaks SPDY only; 1.31 gets WebSocket v5 (no fallback needed).
      const want = bin.endsWith('1.27') ? { transport: 'spdy', protocol: 'v4.channel.k8s.io' } : { transport: 'websocket', protocol: 'v5.channel.k8s.io' };
      assert.deepEqual(sessions.map((e) => ({ transport: e.transport, protocol: e.protocol })), [want], short(bin));
      assert.equal(r.code, 3, `${short(bin)}: ${r.stderr}`);
      assert.equal(r.stdout, 'out\n');
      assert.match(r.stderr, /^err\n/);
      const ok0 = await kubectl(['exec', 'p', '--', 'echo', 'fine'], { bin });
      assert.deepEqual([ok0.code, ok0.stdout], [0, 'fine\n'], ok0.stderr);
      const cat = await kubectl(['exec', '-i', 'p', '--', 'cat'], { bin, input: 'piped\ninput\n' });
      assert.deepEqual([cat.code, cat.stdout], [0, 'piped\ninput\n'], `${short(bin)}: ${cat.stderr}`);
    }
    const dispatcher = await kubectl(['exec', 'p', '--', 'sh', '-c', 'exit 7']);
    assert.equal(dispatcher.code, 7, dispatcher.stderr);
  });

  test('exec: a large output arrives whole (no flow-control stall)', async () => {
    for (const bin of BINS) {
      const r = await kubectl(['exec', 'p', '--', 'sh', '-c', 'yes a | head -c 300000'], { bin });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.length, 300000, short(bin));
    }
  });

  test('attach -i', async () => {
    for (const bin of BINS) {
      const r = await kubectl(['attach', '-i', 'p', '-c', 'c'], { bin, input: 'to the main process\n' });
      assert.equal(r.code, 0, `${short(bin)}: ${r.stderr}`);
      assert.match(r.stdout, /to the main process\n/);
    }
  });

  test('cp both ways', async () => {
    for (const bin of BINS) {
      const name = `f-${short(bin)}.txt`;
      const content = `payload ${short(bin)}\n`.repeat(5000);
      writeFileSync(join(work, name), content);
      const up = await kubectl(['cp', name, `p:/tmp/${name}`], { bin });
      assert.equal(up.code, 0, `${short(bin)} cp to pod: ${up.stderr}`);
      assert.equal(readFileSync(join(node.root, 'tmp', name), 'utf8'), content);
      const back = await kubectl(['cp', `p:/tmp/${name}`, `back-${name}`], { bin });
      assert.equal(back.code, 0, `${short(bin)} cp from pod: ${back.stderr}`);
      assert.equal(readFileSync(join(work, `back-${name}`), 'utf8'), content);
    }
  });

  test('port-forward pod/p :80 serves the pod port locally', async () => {
    for (const bin of BINS) {
      const pf = background(['port-forward', 'pod/p', ':80'], bin);
      sessions.length = 0;
      try {
        await until(() => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(pf.out()), `${short(bin)} port-forward ready`);
        const port = Number(/127\.0\.0\.1:(\d+) -> 80/.exec(pf.out())![1]);
        for (let i = 0; i < 2; i++) {
          const body = await new Promise<string>((resolve, reject) => {
            get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
              let b = '';
              res.on('data', (d: Buffer) => (b += d.toString()));
              res.on('end', () => resolve(b));
            }).on('error', reject);
          });
          assert.equal(body, 'hello from port 80\n', short(bin));
        }
        const want = bin.endsWith('1.27') ? { transport: 'spdy', protocol: 'portforward.k8s.io' } : { transport: 'websocket', protocol: 'SPDY/3.1+portforward.k8s.io' };
        assert.deepEqual(sessions.map((e) => ({ transport: e.transport, protocol: e.protocol })), [want], short(bin));
      } finally {
        await pf.stop();
      }
    }
  });

  test('errors: unknown container, stopped container, unbound pod, missing pod', async () => {
    for (const bin of BINS) {
      const bad = await kubectl(['exec', 'p', '-c', 'nope', '--', 'true'], { bin });
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /container nope is not valid for pod p/, short(bin));
      const stopped = await kubectl(['exec', 'p', '-c', 'd', '--', 'true'], { bin });
      assert.notEqual(stopped.code, 0);
      assert.match(stopped.stderr, /unable to upgrade connection: container not found \("d"\)/, short(bin));
      const unbound = await kubectl(['exec', 'unbound', '--', 'true'], { bin });
      assert.notEqual(unbound.code, 0);
      assert.match(unbound.stderr, /pod unbound does not have a host assigned/, short(bin));
    }
    const bin = kubectlVersion(31);
    const badLogs = await kubectl(['logs', 'p', '-c', 'nope'], { bin });
    assert.notEqual(badLogs.code, 0);
    assert.match(badLogs.stderr, /container nope is not valid for pod p/);
    // Upstream answers logs of a pod with no node with an empty body (LogLocation returns no location).
    const unboundLogs = await kubectl(['logs', 'unbound'], { bin });
    assert.deepEqual([unboundLogs.code, unboundLogs.stdout], [0, '']);
    const waiting = await kubectl(['logs', 'p', '-c', 'd'], { bin });
    assert.notEqual(waiting.code, 0);
    assert.match(waiting.stderr, /container "d" in pod "p" is waiting to start: ContainerCreating/);
    const noPrev = await kubectl(['logs', 'p', '-c', 'd', '--previous'], { bin });
    assert.match(noPrev.stderr, /previous terminated container "d" in pod "p" not found/);
    const missing = await kubectl(['logs', 'ghost'], { bin });
    assert.match(missing.stderr, /pods "ghost" not found/);
  });
});
