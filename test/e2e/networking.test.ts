// End-to-end cluster networking on two simulated machines: two network namespaces on a test switch
// (test/support/netns-hosts.ts), `skiff server` (with its embedded agent) in one and `skiff agent`
// in the other, real pods on runc, the real kubectl run inside the server's namespace. Checked as a
// user would: a two-replica HTTP Deployment behind a Service answers by name, namespace and FQDN
// through cluster DNS from a client pod on the other node, and both backends are seen; pod-to-pod
// across nodes; scaling to zero fails fast; NodePort on the node address; a headless Service and
// StatefulSet pod names; an Ingress with two hosts, two paths and TLS; port-forward svc/… . The
// server's node runs the Service proxy in iptables mode, the agent's in nftables mode (the client pod
// lives there), so both backends carry the same checks. Nothing here touches the machine's own
// network namespace: every address is inside namespaces the test made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHosts, spawnInNetnsOnly, type HostProcess, type NetnsHosts, type SimHost } from '../support/netns-hosts.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { buildBusyboxImage, pushImage } from '../support/images.js';
import { createCa, createLeaf } from '../../src/apiserver/pki/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../../..');
const SKIFF = join(REPO, 'bin/skiff');
const KUBECTL = '/usr/bin/kubectl';

let hosts: NetnsHosts;
let registry: TestRegistry;
let work: string;
let server: Logged;
let agent: Logged;
const dataDirs: string[] = [];

/**
 * Runs a command inside a simulated host's netns, synchronously (the cluster runs in other
 * processes). `nsenter --net`, not `ip netns exec`: the latter also remounts /sys, which would hide
 * the cgroup hierarchies under /sys/fs/cgroup from runc.
 */
function inHost(h: SimHost, cmd: string[], input?: string, timeoutMs = 150_000): Promise<{ code: number; stdout: string; stderr: string }> {
  // Asynchronous on purpose: the registry mirror reaches the hosts through a forwarder running in
  // this process (exposePort), which a blocking spawnSync would starve.
  return new Promise((resolve) => {
    const child = spawn('nsenter', [`--net=/var/run/netns/${h.name}`, ...cmd], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => (stderr += String(e)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
/** A long-lived process in a host's netns (nsenter, see above), its stdout and stderr collected; stopped by PID. */
interface Logged extends HostProcess {
  output(): string;
}
function startLogged(h: SimHost, cmd: string[]): Logged {
  const p = spawnInNetnsOnly(h.name, cmd, { stdio: 'pipe' });
  let out = '';
  for (const stream of [p.child.stdout!, p.child.stderr!]) stream.on('data', (d: Buffer) => (out += d.toString()));
  return { ...p, output: () => out };
}
const kubeconfig = () => join(dataDirs[0]!, 'kubeconfig.yaml');
const k = (args: string[], input?: string) => inHost(hosts.hosts[0]!, [KUBECTL, '--kubeconfig', kubeconfig(), ...args], input);
async function ok(args: string[], input?: string): Promise<string> {
  const r = await k(args, input);
  if (r.code !== 0) assert.fail(`kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}\n${await diagnostics()}`);
  return r.stdout;
}
const podExec = (pod: string, sh: string) => k(['exec', pod, '--', 'sh', '-c', sh]);

async function diagnostics(): Promise<string> {
  return [
    (await k(['get', 'pods,svc,endpointslices,nodes', '-A', '-o', 'wide'])).stdout,
    (await k(['get', 'events', '-A', '--sort-by=.lastTimestamp'])).stdout.split('\n').slice(-20).join('\n'),
    `server:\n${server?.output().split('\n').slice(-25).join('\n')}`,
    `agent:\n${agent?.output().split('\n').slice(-25).join('\n')}`,
  ].join('\n');
}
async function until(what: string, f: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out: ${what}\n${await diagnostics()}`);
}
async function untilOutput(p: () => string, line: string, ms = 90_000): Promise<void> {
  await until(`"${line}"`, () => p().includes(line), ms);
}

const CLUSTER_FLAGS = ['--kubelet-port', '10250', '--disable-default-registry-endpoint', '--dns-upstream', '127.0.0.1:9'];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'skiff-net-e2e-'));
  hosts = await createHosts(2);
  registry = await startRegistry();
  await pushImage(registry.url, 'library/busybox', 'latest', buildBusyboxImage());
  const mirror = await hosts.exposePort(Number(new URL(registry.url).port));
  for (let i = 0; i < 2; i++) {
    const d = mkdtempSync(join(tmpdir(), `skiff-net-e2e-node${i}-`));
    dataDirs.push(d);
    writeFileSync(join(d, 'registries.yaml'), `mirrors:\n  docker.io:\n    endpoint:\n      - http://${mirror.ip}:${mirror.port}\n`);
  }
  const [h0, h1] = hosts.hosts as [SimHost, SimHost];
  server = startLogged(h0, ['node', SKIFF, 'server', '--data-dir', dataDirs[0]!, '--bind-address', '0.0.0.0', '--https-port', '6443', '--node-name', 'node-0', '--node-ip', h0.ip, ...CLUSTER_FLAGS]);
  await untilOutput(server.output, 'Skiff is ready', 60_000);
  const token = readFileSync(join(dataDirs[0]!, 'tokens.csv'), 'utf8').split(',')[0]!;
  agent = startLogged(h1, ['node', SKIFF, 'agent', '--server', `https://${h0.ip}:6443`, '--token', token, '--ca-file', join(dataDirs[0]!, 'tls', 'ca.crt'), '--data-dir', dataDirs[1]!, '--node-name', 'node-1', '--node-ip', h1.ip, '--proxy-mode', 'nftables', ...CLUSTER_FLAGS]);
  await untilOutput(agent.output, 'Skiff agent is ready', 60_000);
  await until('both nodes Ready', async () => ((await k(['get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'])).stdout.match(/True/g) ?? []).length === 2);
});

after(async () => {
  try {
    if (server && hosts) await k(['delete', 'all', '--all', '--grace-period=1', '--wait=true', '--timeout=30s']);
  } catch {
    /* best effort: the cleanup below removes everything anyway */
  }
  await agent?.stop(10_000);
  await server?.stop(10_000);
  // Each agent's containers, pod netns, mounts, cgroups and rules, removed from inside its own host.
  for (let i = 0; i < dataDirs.length; i++) {
    const h = hosts.hosts[i]!;
    const script = `import(${JSON.stringify(join(REPO, 'dist/src/kubelet/agent.js'))}).then((m) => m.removeAgentState(${JSON.stringify(dataDirs[i])}))`;
    const r = await inHost(h, ['node', '--input-type=module', '-e', script]);
    if (r.code !== 0) console.error(`agent cleanup on ${h.name}: ${r.stderr}`);
    rmSync(dataDirs[i]!, { recursive: true, force: true });
  }
  await hosts?.cleanup();
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** An HTTP server pod answering with its own name (busybox httpd), pinned one per node by anti-affinity. */
const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: busybox
        command: [sh, -c, 'mkdir -p /www/api && hostname > /www/index.html && echo "api $(hostname)" > /www/api/index.html && exec httpd -f -p 8080 -h /www']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox, command: [sleep, '3600']}
`;

let webPods: Array<{ name: string; ip: string; node: string }> = [];

test('a Deployment behind a Service answers by name, name.namespace and FQDN from a pod on the other node; both backends are seen', async () => {
  await ok(['apply', '-f', '-'], WEB);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
  await ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=120s']);
  webPods = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}']))
    .trim().split('\n').map((l) => {
      const [name, ip, node] = l.split(' ');
      return { name: name!, ip: ip!, node: node! };
    });
  assert.deepEqual(webPods.map((p) => p.node).sort(), ['node-0', 'node-1'], 'one backend per node');
  assert.notEqual(webPods[0]!.ip.split('.')[2], webPods[1]!.ip.split('.')[2], 'the nodes have different pod CIDRs (node IPAM)');

  // Pod to pod across nodes, no Service: routes between the hosts.
  for (const p of webPods) assert.equal((await podExec('client', `timeout 5 wget -qO- http://${p.ip}:8080/`)).stdout.trim(), p.name);

  for (const name of ['web', 'web.default', 'web.default.svc.cluster.local']) {
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const r = await podExec('client', `timeout 5 wget -qO- http://${name}/`);
      if (r.code !== 0) assert.fail(`wget http://${name}/: ${r.stderr}\n${await diagnostics()}`);
      seen.add(r.stdout.trim());
    }
    assert.deepEqual([...seen].sort(), webPods.map((p) => p.name).sort(), `both backends behind ${name}`);
  }
  const resolv = (await podExec('client', 'cat /etc/resolv.conf')).stdout;
  assert.match(resolv, /nameserver 10\.43\.0\.10/);
  assert.match(resolv, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
  assert.match(resolv, /options ndots:5/);
});

test('the kubernetes Service (10.43.0.1:443) reaches the API server from a pod and from the other node', async () => {
  // From the pod, busybox's TLS offers no cipher our server accepts: the server's TLS alert is the
  // proof that kubernetes.default.svc routed to it (across nodes: the client runs on node-1).
  const r = await podExec('client', 'timeout 10 wget -qO- --no-check-certificate https://kubernetes.default.svc/version 2>&1; true');
  assert.match(r.stdout, /TLS error from peer|401|gitVersion/, r.stdout + r.stderr);
  // From node-1 itself, a real client: verified against the cluster CA, authenticated by token.
  const token = readFileSync(join(dataDirs[0]!, 'tokens.csv'), 'utf8').split(',')[0]!;
  const script = `const https = require('node:https'); https.get({ host: '10.43.0.1', port: 443, path: '/version', servername: 'kubernetes.default.svc', ca: require('node:fs').readFileSync(${JSON.stringify(join(dataDirs[0]!, 'tls', 'ca.crt'))}), headers: { authorization: 'Bearer ${token}' } }, (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => console.log(b)); }).on('error', (e) => console.log('ERR ' + e.message));`;
  const v = await inHost(hosts.hosts[1]!, ['node', '-e', script]);
  assert.match(v.stdout, /"gitVersion":\s*"v1\.31/, v.stdout + v.stderr);
});

test('NodePort answers on every node address, from another host', async () => {
  const nodePort = (await ok(['get', 'svc', 'web-np', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim();
  assert.match(nodePort, /^3\d{4}$/);
  const names = webPods.map((p) => p.name);
  for (const target of hosts.hosts) {
    const from = hosts.hosts.find((h) => h !== target)!;
    const r = await inHost(from, ['timeout', '5', '/bin/busybox', 'wget', '-qO-', `http://${target.ip}:${nodePort}/`]);
    assert.equal(r.code, 0, `NodePort on ${target.ip}: ${r.stderr}`);
    assert.ok(names.includes(r.stdout.trim()), r.stdout);
  }
});

test("each node's proxy reports its rule syncs on 127.0.0.1:10249/metrics", async () => {
  for (const h of hosts.hosts) {
    const r = await inHost(h, ['timeout', '5', '/bin/busybox', 'wget', '-qO-', 'http://127.0.0.1:10249/metrics']);
    assert.equal(r.code, 0, r.stderr);
    const syncs = Number(/^kubeproxy_sync_proxy_rules_total (\d+)$/m.exec(r.stdout)?.[1]);
    assert.ok(syncs >= 1, r.stdout);
    assert.match(r.stdout, /^kubeproxy_sync_proxy_rules_last_duration_seconds \d/m);
  }
});

test('a headless Service resolves to both pod IPs; the Service name resolves to its ClusterIP', async () => {
  // Trailing dots: a fully qualified name skips the search path (busybox nslookup fails the whole
  // command when any search-path candidate is NXDOMAIN).
  const r = await podExec('client', 'nslookup web-headless.default.svc.cluster.local.');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const p of webPods) assert.ok(r.stdout.includes(p.ip), `${p.ip} in:\n${r.stdout}`);
  const clusterIP = (await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  assert.match((await podExec('client', 'nslookup web.default.svc.cluster.local.')).stdout, new RegExp(clusterIP.replace(/\./g, '\\.')));
  const missing = await podExec('client', 'nslookup nope.default.svc.cluster.local.');
  assert.notEqual(missing.code, 0, 'a missing name does not resolve');
});

test('StatefulSet pod names resolve through their headless Service', async () => {
  await ok(['apply', '-f', '-'], `
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: db, image: busybox, command: [sleep, '3600']}]
`);
  await ok(['rollout', 'status', 'statefulset/db', '--timeout=120s']);
  for (const pod of ['db-0', 'db-1']) {
    const ip = (await ok(['get', 'pod', pod, '-o', 'jsonpath={.status.podIP}'])).trim();
    let out = '';
    await until(`${pod}.db resolves`, async () => (out = (await podExec('client', `nslookup ${pod}.db.default.svc.cluster.local.`)).stdout).includes(ip), 30_000);
    assert.ok(out.includes(ip));
  }
  // (Short forms such as `db-0.db` also go through the search path; busybox nslookup then queries the
  // bare name too, which goes to the upstream resolver — none is reachable here, so it is not asserted.)
});

test('an Ingress routes two hosts and two paths to two services and terminates TLS', async () => {
  const ca = await createCa('net-e2e-ca', 1);
  const leaf = await createLeaf(ca, { commonName: 'a.example.test', hosts: ['a.example.test'], usage: 'server', validDays: 1 });
  writeFileSync(join(work, 'a.key'), leaf.key);
  writeFileSync(join(work, 'a.crt'), leaf.cert);
  await ok(['create', 'secret', 'tls', 'a-tls', `--cert=${join(work, 'a.crt')}`, `--key=${join(work, 'a.key')}`]);
  await ok(['apply', '-f', '-'], `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: api
        image: busybox
        command: [sh, -c, 'mkdir -p /www/v1 && echo "api v1" > /www/v1/index.html && echo "api root" > /www/index.html && exec httpd -f -p 8080 -h /www']
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
spec:
  ingressClassName: skiff
  tls: [{hosts: [a.example.test], secretName: a-tls}]
  rules:
  - host: a.example.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /v1, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
  - host: b.example.test
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
`);
  await ok(['rollout', 'status', 'deployment/api', '--timeout=120s']);
  const h0 = hosts.hosts[0]!;
  // Requests are made from inside the server's host netns, where the ingress listens on :80/:443.
  const script = join(work, 'req.mjs');
  writeFileSync(script, `
import { request as http } from 'node:http';
import { request as https } from 'node:https';
const [scheme, host, path, ca] = process.argv.slice(2);
const opts = { host: '127.0.0.1', port: scheme === 'https' ? 443 : 80, path, headers: { host }, servername: host, ca: ca ? (await import('node:fs')).readFileSync(ca) : undefined };
const req = (scheme === 'https' ? https : http)(opts, (res) => {
  const subject = res.socket?.getPeerCertificate?.()?.subject?.CN;
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, body: body.trim(), subject })));
});
req.on('error', (e) => console.log(JSON.stringify({ error: e.message })));
req.end();
`);
  writeFileSync(join(work, 'ca.crt'), ca.cert);
  const get = async (scheme: string, host: string, path: string) => {
    const r = await inHost(h0, ['node', script, scheme, host, path, scheme === 'https' ? join(work, 'ca.crt') : '']);
    return JSON.parse(r.stdout.trim() || '{}') as { status?: number; body?: string; subject?: string; error?: string };
  };
  const names = webPods.map((p) => p.name);
  await until('ingress serves a.example.test', async () => (await get('http', 'a.example.test', '/')).status === 200, 30_000);
  assert.ok(names.includes((await get('http', 'a.example.test', '/')).body!), 'a/ → web');
  assert.equal((await get('http', 'a.example.test', '/v1/')).body, 'api v1', 'a/v1 → api');
  assert.equal((await get('http', 'b.example.test', '/')).body, 'api root', 'b/ → api');
  assert.match((await get('http', 'b.example.test', '/api/')).body!, /^api web-/, 'b/api → web');
  assert.equal((await get('http', 'c.example.test', '/')).status, 404, 'unknown host');
  const tls = await get('https', 'a.example.test', '/v1/');
  assert.equal(tls.error, undefined, `TLS verified against the secret's CA: ${tls.error}`);
  assert.equal(tls.status, 200);
  assert.equal(tls.subject, 'a.example.test');
  await until('ingress status has the node address', async () => (await ok(['get', 'ingress', 'site', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).trim() === h0.ip, 20_000);
});

test('kubectl port-forward svc/web reaches a backend', async () => {
  const h0 = hosts.hosts[0]!;
  const pf = startLogged(h0, [KUBECTL, '--kubeconfig', kubeconfig(), 'port-forward', 'svc/web', ':80']);
  try {
    await until('port-forward ready', () => /127\.0\.0\.1:(\d+) -> 8080/.test(pf.output()), 30_000);
    const port = /127\.0\.0\.1:(\d+) -> 8080/.exec(pf.output())![1];
    const r = await inHost(h0, ['timeout', '5', '/bin/busybox', 'wget', '-qO-', `http://127.0.0.1:${port}/`]);
    assert.equal(r.code, 0, r.stderr + pf.output());
    assert.ok(webPods.map((p) => p.name).includes(r.stdout.trim()), r.stdout);
  } finally {
    await pf.stop();
  }
});

test('sessionAffinity ClientIP pins a client to one backend; externalTrafficPolicy Local serves a NodePort from local pods only', async () => {
  await ok(['apply', '-f', '-'], `
apiVersion: v1
kind: Service
metadata: {name: web-sticky}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`);
  await until('web-sticky has both endpoints', async () => (await k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web-sticky', '-o', 'jsonpath={.items[*].endpoints[*].addresses[*]}'])).stdout.trim().split(' ').length === 2, 30_000);
  await new Promise((r) => setTimeout(r, 1500)); // the proxies' sync
  const answers = await podExec('client', 'for i in 1 2 3 4 5 6 7 8 9 10; do timeout 5 wget -qO- http://web-sticky/; done');
  const seen = new Set(answers.stdout.trim().split('\n'));
  assert.equal(seen.size, 1, `one backend for one client: ${answers.stdout}${answers.stderr}`);

  const nodePort = (await ok(['get', 'svc', 'web-local', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim();
  for (const target of hosts.hosts) {
    const local = webPods.find((p) => p.node === `node-${target.index}`)!;
    const from = hosts.hosts.find((h) => h !== target)!;
    for (let i = 0; i < 4; i++) {
      const r = await inHost(from, ['timeout', '5', '/bin/busybox', 'wget', '-qO-', `http://${target.ip}:${nodePort}/`]);
      assert.equal(r.stdout.trim(), local.name, `NodePort with Local policy on ${target.ip} answers from its own pod: ${r.stderr}`);
    }
  }
});

test('scaled to zero, the Service refuses connections at once instead of hanging', async () => {
  await ok(['scale', 'deployment/web', '--replicas=0']);
  await until('no web endpoints', async () => (await k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[*].endpoints[*].addresses[*]}'])).stdout.trim() === '', 60_000);
  await new Promise((r) => setTimeout(r, 1500)); // the proxies' sync
  const t0 = Date.now();
  const r = await podExec('client', 'timeout 10 wget -qO- http://web/ 2>&1; echo exit=$?');
  const took = Date.now() - t0;
  assert.match(r.stdout, /refused/i, r.stdout);
  assert.ok(took < 8000, `failed in ${took} ms, not after a timeout`);
});
