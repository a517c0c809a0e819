// The runc runtime against the real kernel: sandboxes with their own netns/IPC/UTS, containers under
// conmon with CRI logs, exec (tty sizes), attach (stdin, pty resize), shared localhost and hostname
// within a pod, OOM kills, re-adoption by a new runtime over the same root, graceful stop, and no
// leaks after removePodSandbox. Needs root, runc and conmon (scripts/install-deps.sh). The rootfs is
// a hand-made busybox layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PodNetwork } from '../../src/kubelet/network/pod-network.js';
import { RuncRuntime } from '../../src/kubelet/runtime/runc/runc-runtime.js';
import { removeCgroupTree } from '../../src/kubelet/runtime/runc/host.js';
import type { ContainerConfig, ExecSession, SandboxConfig } from '../../src/kubelet/runtime/types.js';


function makeLayer(dir: string): void {
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'www', 'root']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'bin/busybox'));
  for (const app of ['sh', 'echo', 'sleep', 'cat', 'httpd', 'wget', 'env', 'hostname', 'head', 'tr', 'timeout', 'dd', 'ls', 'true', 'id', 'stty']) {
    symlinkSync('busybox', join(dir, 'bin', app));
  }
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\n');
  writeFileSync(join(dir, 'www/index.html'), 'hello from httpd\n');
}

async function collect(s: ExecSession): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  s.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  s.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await s.exit;
  await new Promise((r) => setImmediate(r));
  return { out, err, code };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freeThirdOctet(): number {
  const addrs = execFileSync('ip', ['-o', '-4', 'addr']).toString() + execFileSync('ip', ['route']).toString();
  for (;;) {
    const n = 100 + 2 * Math.floor(Math.random() * 75);
    if (!addrs.includes(`10.42.${n}.`) && !addrs.includes(`10.42.${n + 1}.`)) return n;
  }
}

test('runc runtime: sandboxes, containers, exec, OOM, re-adoption, stop, no leaks', async (t) => {
  const tag = randomBytes(3).toString('hex');
  const base = mkdtempSync(join(tmpdir(), 'skiff-runc-'));
  const layer = join(base, 'layer');
  const root = join(base, 'runtime');
  const logs = join(base, 'logs');
  makeLayer(layer);
  const octet = freeThirdOctet();
  const netOpts = {
    bridge: `skt-${tag}`,
    podCIDR: `10.42.${octet}.0/24`,
    clusterCIDR: `10.42.${octet}.0/23`,
    stateDir: join(root, 'net'),
    netnsPrefix: `skt-${tag}`,
  };
  const cgroupRoot = `/skiff-test-${tag}`;
  const network = new PodNetwork(netOpts);
  const newRuntime = () => new RuncRuntime({ root, cgroupRoot, network, hostIP: '127.0.0.1' });
  let rt = newRuntime();
  t.after(async () => {
    await rt.cleanupAll().catch((e) => console.error('cleanupAll', e));
    await network.destroy().catch((e) => console.error('destroy', e));
    await removeCgroupTree(cgroupRoot);
    rmSync(base, { recursive: true, force: true });
  });
  await rt.init();
  // The unreachable route keeps other nodes' pod IPs on this machine.
  assert.match(execFileSync('ip', ['route', 'show', netOpts.clusterCIDR]).toString(), /unreachable/);

  const sandbox = (name: string, extra: Partial<SandboxConfig> = {}): SandboxConfig => ({
    uid: randomUUID(), name, namespace: 'default', hostname: name, hostNetwork: false,
    hostsFile: `127.0.0.1 localhost\n`, resolvConf: 'nameserver 127.0.0.1\n', portMappings: [], qosClass: 'BestEffort', ...extra,
  });
  const container = (podUid: string, name: string, argv: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
    podUid, name, attempt: 0, image: 'busybox', imageId: 'sha256:test', lowerDirs: [layer], argv,
    env: [{ name: 'FOO', value: 'bar' }], workingDir: '/', mounts: [], resources: {}, security: {},
    tty: false, stdin: false, stdinOnce: false, logPath: join(logs, podUid, name, '0.log'), ...extra,
  });
  const exec = async (id: string, argv: string[]) => collect(await rt.exec(id, argv, { tty: false, stdin: false, timeoutMs: 10_000 }));

  const podA = sandbox('pod-a', { portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort: 30000 + Math.floor(Math.random() * 2000) }] });
  const podAStatus = await rt.runPodSandbox(podA);
  assert.equal(podAStatus.state, 'ready');
  assert.match(podAStatus.ip, new RegExp(`^10\\.42\\.${octet}\\.\\d+$`));
  assert.deepEqual(await rt.runPodSandbox(podA), podAStatus, 'runPodSandbox is idempotent');
  assert.ok(await network.hostPorts.has(podA.uid), 'hostPort chain installed');

  // 1. A container printing its env, then sleeping; its CRI log.
  const main = await rt.createAndStartContainer(container(podA.uid, 'main', ['sh', '-c', 'env; echo started; exec sleep 1000']));
  assert.equal(main.state, 'running');
  assert.ok(main.pid && main.pid > 0);
  const log = await until('log', async () => {
    const text = existsSync(main.logPath) ? readFileSync(main.logPath, 'utf8') : '';
    return text.includes('started') && text;
  });
  assert.match(log, /^\S+ stdout F FOO=bar$/m);
  assert.match(log, /^\S+ stdout F HOSTNAME=pod-a$/m);
  const again = await rt.createAndStartContainer(container(podA.uid, 'main', ['sh', '-c', 'exit 9']));
  assert.equal(again.id, main.id);
  assert.equal(again.pid, main.pid, 'a repeated create returns the running container, never a second start');

  // 2. exec.
  assert.deepEqual(await exec(main.id, ['echo', 'hi']), { out: 'hi\n', err: '', code: 0 });
  assert.equal((await exec(main.id, ['sh', '-c', 'exit 3'])).code, 3);
  const tty = await collect(await rt.exec(main.id, ['sh', '-c', 'test -t 1 && echo tty'], { tty: true, stdin: false }));
  assert.equal(tty.code, 0);
  assert.match(tty.out, /tty/);
  const slow = await rt.exec(main.id, ['sleep', '30'], { tty: false, stdin: false, timeoutMs: 300 });
  await assert.rejects(slow.exit, { code: 'ETIMEDOUT' });
  // A tty exec's window size follows resize(), the first one sent before the process exists.
  const sized = await rt.exec(main.id, ['sh', '-c', 'sleep 0.5; stty size'], { tty: true, stdin: false });
  sized.resize(77, 33);
  assert.match((await collect(sized)).out, /^33 77\r?$/m);

  // 2b. attach through conmon: stdin and a pty with resize, and plain stdin/stdout with stdinOnce.
  const shell = await rt.createAndStartContainer(container(podA.uid, 'shell', ['sh', '-c', 'read line; echo "got $line"; stty size; exec sleep 1000'], { tty: true, stdin: true }));
  const att = await rt.attach(shell.id, { stdin: true, tty: true });
  let attOut = '';
  att.stdout.setEncoding('utf8').on('data', (d: string) => (attOut += d));
  assert.equal(att.stderr, undefined, 'a tty has one stream');
  att.resize(100, 40);
  await new Promise((r) => setTimeout(r, 200));
  att.stdin!.write('hello\n');
  await until('attached shell output', async () => /got hello[\s\S]*40 100/.test(attOut));
  att.kill();
  assert.equal(await att.exit, 0);
  const catter = await rt.createAndStartContainer(container(podA.uid, 'cat', ['sh', '-c', 'cat; echo "stdin closed" >&2'], { stdin: true, stdinOnce: true }));
  const att2 = await rt.attach(catter.id, { stdin: true, tty: false });
  const att2Done = collect(att2);
  att2.stdin!.end('through conmon\n');
  assert.deepEqual(await att2Done, { out: 'through conmon\n', err: 'stdin closed\n', code: 0 });
  assert.equal((await until('cat exits at stdin EOF', async () => {
    const st = await rt.containerStatus(catter.id);
    return st?.state === 'exited' && st;
  })).exitCode, 0);
  await assert.rejects(rt.attach(catter.id, { stdin: false, tty: false }), { code: 'ENOTRUNNING' });

  // 3. A second container in the same pod: same hostname, shared localhost; port-forward from the host.
  const web = await rt.createAndStartContainer(container(podA.uid, 'web', ['httpd', '-f', '-p', '8080', '-h', '/www']));
  assert.equal(web.state, 'running');
  assert.equal((await exec(web.id, ['hostname'])).out, 'pod-a\n');
  assert.equal((await exec(main.id, ['hostname'])).out, 'pod-a\n');
  const page = await until('httpd via localhost', async () => {
    const r = await exec(main.id, ['timeout', '3', 'wget', '-qO-', 'http://127.0.0.1:8080/']);
    return r.code === 0 && r.out;
  });
  assert.equal(page, 'hello from httpd\n');
  const sock = await rt.portForward(podA.uid, 8080);
  const reply = await new Promise<string>((resolve, reject) => {
    let body = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (body += d));
    sock.on('end', () => resolve(body));
    sock.on('error', reject);
    sock.write('GET / HTTP/1.0\r\n\r\n');
  });
  assert.match(reply, /hello from httpd/);
  // The hostPort (30000+ → 8080) from the node itself, on 127.0.0.1 as on the node's addresses.
  const viaLocalhost = await new Promise<string>((resolve, reject) => {
    let body = '';
    const c = connect({ host: '127.0.0.1', port: podA.portMappings[0]!.hostPort }, () => c.write('GET / HTTP/1.0\r\n\r\n'));
    c.setEncoding('utf8');
    c.setTimeout(5000, () => c.destroy(new Error('no answer on 127.0.0.1:hostPort')));
    c.on('data', (d: string) => (body += d));
    c.on('end', () => resolve(body));
    c.on('error', reject);
  });
  assert.match(viaLocalhost, /hello from httpd/);

  // 4. OOM: 16Mi limit, allocating 64 MB.
  const podB = sandbox('pod-b', { qosClass: 'Burstable' });
  await rt.runPodSandbox(podB);
  const hog = await rt.createAndStartContainer(container(podB.uid, 'hog', ['sh', '-c', 'x=$(head -c 67108864 /dev/zero | tr "\\0" a); echo survived'], {
    resources: { memoryLimitBytes: 16 * 1024 * 1024 },
  }));
  const oom = await until('OOM kill', async () => {
    const s = await rt.containerStatus(hog.id);
    return s?.state === 'exited' && s;
  });
  assert.equal(oom.exitCode, 137);
  assert.equal(oom.reason, 'OOMKilled');
  assert.ok(oom.finishedAt);
  const done = await rt.createAndStartContainer(container(podB.uid, 'done', ['true']));
  const completed = await until('completion', async () => {
    const s = await rt.containerStatus(done.id);
    return s?.state === 'exited' && s;
  });
  assert.equal(completed.exitCode, 0);
  assert.equal(completed.reason, 'Completed');

  // 5. A new runtime over the same root re-adopts (as after kill -9 of the kubelet).
  rt = newRuntime();
  const adopted = await rt.listContainers({ podUid: podA.uid });
  const adoptedMain = adopted.find((c) => c.id === main.id);
  assert.equal(adoptedMain?.state, 'running');
  assert.equal(adoptedMain?.pid, main.pid, 'same process, not restarted');
  assert.equal((await rt.listPodSandboxes()).length, 2);
  assert.equal((await rt.containerStatus(hog.id))?.reason, 'OOMKilled');
  assert.equal((await exec(main.id, ['echo', 'still here'])).out, 'still here\n');

  // 5b. A kubelet process killed with -9 right after starting a container: the container lives on
  // under conmon and the next runtime over the same root adopts it.
  const runtimeModule = fileURLToPath(new URL('../../src/kubelet/runtime/runc/runc-runtime.js', import.meta.url));
  const networkModule = fileURLToPath(new URL('../../src/kubelet/network/pod-network.js', import.meta.url));
  const podC = sandbox('pod-c');
  const childScript = `
    const { RuncRuntime } = await import(${JSON.stringify(runtimeModule)});
    const { PodNetwork } = await import(${JSON.stringify(networkModule)});
    const rt = new RuncRuntime({ root: ${JSON.stringify(root)}, cgroupRoot: ${JSON.stringify(cgroupRoot)}, network: new PodNetwork(${JSON.stringify(netOpts)}) });
    await rt.runPodSandbox(${JSON.stringify(podC)});
    const c = await rt.createAndStartContainer(${JSON.stringify(container(podC.uid, 'survivor', ['sleep', '1000']))});
    process.stdout.write(JSON.stringify({ id: c.id, pid: c.pid }) + '\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', childScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = await new Promise<{ id: string; pid: number }>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out) as { id: string; pid: number });
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  rt = newRuntime();
  const survivor = await rt.containerStatus(started.id);
  assert.equal(survivor?.state, 'running', 'survives kill -9 of its launcher');
  assert.equal(survivor?.pid, started.pid);
  assert.equal((await rt.podSandboxStatus(podC.uid))?.state, 'ready');

  // 6. Graceful stop: a container ignoring SIGTERM is killed after the grace period.
  const stubborn = await rt.createAndStartContainer(container(podB.uid, 'stubborn', ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 1; done']));
  await until('stubborn ready', async () => existsSync(stubborn.logPath) && readFileSync(stubborn.logPath, 'utf8').includes('ready'));
  const t0 = Date.now();
  await rt.stopContainer(stubborn.id, 1);
  const elapsed = Date.now() - t0;
  const stopped = await rt.containerStatus(stubborn.id);
  assert.equal(stopped?.state, 'exited');
  assert.equal(stopped?.exitCode, 137);
  assert.ok(elapsed >= 900, `waited the grace period (${elapsed} ms)`);
  await rt.stopContainer(stubborn.id, 1); // idempotent

  // 7. Remove everything: nothing may leak.
  await rt.removeContainer(done.id);
  assert.ok(existsSync(done.logPath), 'the log file stays (the kubelet owns logs)');
  for (const pod of [podA, podB, podC]) {
    await rt.removePodSandbox(pod.uid);
    await rt.removePodSandbox(pod.uid); // idempotent
  }
  assert.deepEqual(await rt.listPodSandboxes(), []);
  assert.deepEqual(await rt.listContainers(), []);
  assert.equal(await network.hostPorts.has(podA.uid), false, 'hostPort chain removed');
  const netns = existsSync('/var/run/netns') ? readdirSync('/var/run/netns').filter((n) => n.startsWith(netOpts.netnsPrefix)) : [];
  assert.deepEqual(netns, [], 'no netns left');
  assert.equal(execFileSync('ip', ['-o', 'link', 'show', 'master', netOpts.bridge]).toString().trim(), '', 'no veth left on the bridge');
  for (const pod of [podA, podB, podC]) {
    assert.equal(execFileSync('ip', ['-o', 'link']).toString().includes(network.hostVeth(pod.uid)), false);
  }
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(base));
  assert.deepEqual(mounts, [], 'no mount left under the root');
  const cgroups = readdirSync('/sys/fs/cgroup').flatMap((ctrl) => {
    const dir = join('/sys/fs/cgroup', ctrl, cgroupRoot);
    const found: string[] = [];
    const walk = (d: string) => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) { found.push(join(d, e.name)); walk(join(d, e.name)); }
    };
    walk(dir);
    return found.filter((d) => /pod[0-9a-f-]{36}/.test(d));
  });
  assert.deepEqual(cgroups, [], 'no pod cgroup left');
  const ours = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(root);
    } catch {
      return false;
    }
  });
  assert.deepEqual(ours, [], 'no conmon/runc process of ours left');
  assert.deepEqual(readdirSync(join(root, 'runc')), [], 'runc knows no container');
});
