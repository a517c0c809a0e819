// End-to-end: a real single-node cluster (`skiff server` with its embedded node agent) pulling
// images built here from Debian's busybox-static, served by a real docker-registry on loopback
// through a registries.yaml mirror for docker.io — so manifests say plain `busybox` / `httpd:1` —
// and running them with runc. Everything is driven through the real kubectl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { KUBECTL, SkiffServer, kubectlVersion } from './harness.js';
import { onTerminal, type TerminalSession } from '../support/terminal.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { buildBusyboxImage, buildHttpdImage, pushImage } from '../support/images.js';
import { agentId, removeAgentState } from '../../src/kubelet/agent.js';

let registry: TestRegistry;
/** The same images behind a password (alice / s3cret), as private.test. */
let privateRegistry: TestRegistry;
let s: SkiffServer;
let dataDir: string;
const podCIDR = `10.42.${100 + Math.floor(Math.random() * 150)}.0/24`;

const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
const ok = (args: string[], input?: string) => {
  const r = k(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
};
const jsonpath = (what: string, path: string) => k(['get', what, '-o', `jsonpath=${path}`]).stdout;
async function until(what: string, f: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (f()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out: ${what}\n${k(['get', 'pods', '-o', 'wide']).stdout}\n${k(['get', 'events', '--sort-by=.lastTimestamp']).stdout.split('\n').slice(-25).join('\n')}\nserver output tail:\n${s.output.split('\n').slice(-30).join('\n')}`);
}
const waitReady = (pod: string) => ok(['wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=90s']);

before(async () => {
  registry = await startRegistry();
  await pushImage(registry.url, 'library/busybox', 'latest', buildBusyboxImage());
  await pushImage(registry.url, 'library/httpd', '1', buildHttpdImage());
  privateRegistry = await startRegistry({ storageDir: registry.storageDir, htpasswd: { username: 'alice', password: 's3cret' } });
  dataDir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-e2e-'));
  writeFileSync(join(dataDir, 'registries.yaml'), `mirrors:\n  docker.io:\n    endpoint:\n      - ${registry.url}\n  private.test:\n    endpoint:\n      - ${privateRegistry.url}\n`);
  s = await SkiffServer.start(dataDir, ['--with-agent', '--node-ip', '127.0.0.1', '--node-name', 'e2e-node', '--pod-cidr', podCIDR, '--kubelet-port', '0', '--disable-default-registry-endpoint', '--ingress-http-port', '0', '--ingress-https-port', '0', '--dns-port', '5353']);
  await until('node Ready', () => jsonpath('node/e2e-node', '{.status.conditions[?(@.type=="Ready")].status}') === 'True');
});

after(async () => {
  if (s) {
    k(['delete', 'pods', '--all', '--grace-period=1', '--wait=true', '--timeout=60s']);
    await s.stop();
    await removeAgentState(dataDir).catch((e: unknown) => console.error('agent cleanup:', e));
    await s.destroy();
  }
  await privateRegistry?.stop();
  await registry?.stop();
});

test('a busybox pod sees env from a ConfigMap and a Secret, and both as files through kubectl exec', async () => {
  ok(['create', 'configmap', 'cfg', '--from-literal=greeting=hello']);
  ok(['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret']);
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'env' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'main', image: 'busybox', command: ['sh', '-c', 'echo "GREETING=$GREETING PASSWORD=$PASSWORD POD=$POD_NAME IP=$POD_IP"; exec sleep 3600'],
        env: [
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }, { name: 'sec', mountPath: '/etc/sec' }],
      }],
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'sec', secret: { secretName: 'sec' } }],
    },
  }));
  waitReady('env');
  const ip = jsonpath('pod/env', '{.status.podIP}');
  assert.match(ip, /^10\.42\.\d+\.\d+$/);
  await until('env line in logs', () => k(['logs', 'env']).stdout.includes('GREETING=hello'));
  assert.equal(k(['logs', 'env']).stdout.trim(), `GREETING=hello PASSWORD=s3cret POD=env IP=${ip}`);
  assert.equal(ok(['exec', 'env', '--', 'cat', '/etc/cfg/greeting']), 'hello');
  assert.equal(ok(['exec', 'env', '--', 'cat', '/etc/sec/password']), 's3cret');
  assert.equal(ok(['exec', 'env', '--', 'hostname']).trim(), 'env');
  // exit codes come back through kubectl, with the WebSocket (1.31) and the SPDY (1.27) client
  assert.equal(k(['exec', 'env', '--', 'sh', '-c', 'exit 3']).code, 3);
  const old = s.kubectlSync(['exec', 'env', '--', 'sh', '-c', 'echo via-spdy; exit 4'], { bin: kubectlVersion(27) });
  assert.equal(old.code, 4, old.stderr);
  assert.equal(old.stdout.trim(), 'via-spdy');
  // Pod status as upstream shows it
  const pod = JSON.parse(ok(['get', 'pod', 'env', '-o', 'json'])) as { status: { phase: string; qosClass: string; hostIP: string; containerStatuses: Array<{ ready: boolean; started: boolean; restartCount: number; image: string; imageID: string; containerID: string }> } };
  assert.equal(pod.status.phase, 'Running');
  assert.equal(pod.status.qosClass, 'BestEffort');
  assert.equal(pod.status.hostIP, '127.0.0.1');
  const cs = pod.status.containerStatuses[0]!;
  assert.equal(cs.ready, true);
  assert.equal(cs.restartCount, 0);
  assert.equal(cs.image, 'docker.io/library/busybox:latest');
  assert.match(cs.imageID, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  const events = ok(['get', 'events', '--field-selector', 'involvedObject.name=env', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}']);
  for (const r of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) assert.ok(events.includes(r), `event ${r} in ${events}`);
});

test('kubectl cp copies a file into the pod and back out', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'in.txt'), 'copied in\n');
  ok(['cp', join(dir, 'in.txt'), 'env:/tmp/in.txt']);
  assert.equal(ok(['exec', 'env', '--', 'cat', '/tmp/in.txt']), 'copied in\n');
  ok(['exec', 'env', '--', 'sh', '-c', 'echo made inside > /tmp/out.txt']);
  ok(['cp', 'env:/tmp/out.txt', join(dir, 'out.txt')]);
  assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'made inside\n');
});

test('kubectl run -i, attach -i, and exec -it / attach -it on a terminal that is resized (kubectl 1.31 WebSocket, 1.27 SPDY)', async () => {
  // kubectl on a 40x100 terminal; later shrunk to 33x77, after which a line is typed for the
  // container to print its size again (the pause lets the resize land before the line does).
  const onTerminal40x100 = (args: string[], bin: string) => onTerminal(s.kubectlArgv(args, bin), 40, 100, { ...process.env, HOME: s.cacheDir });
  const shrinkThenType = async (term: TerminalSession, line: string) => {
    term.resize(33, 77);
    await new Promise((r) => setTimeout(r, 1000));
    term.type(line);
    await term.waitFor(/33 77/);
  };
  for (const [n, bin] of [[31, KUBECTL], [27, kubectlVersion(27)]] as const) {
    // run -i: kubectl creates the pod with stdin, attaches once it runs, and returns its exit code.
    const run = s.kubectlSync(['run', `run${n}`, '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'read l; echo "got $l"; exit 3'], { bin, input: 'hello\n' });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stdout, /^got hello$/m);
    assert.match(run.stdout, new RegExp(`pod "run${n}" deleted`));

    // attach -i to a stdinOnce container: input reaches it, and closing stdin ends it.
    ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `att${n}` },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', stdin: true, stdinOnce: true, command: ['sh', '-c', 'while read l; do echo "echo: $l"; done; echo bye >&2'] }] },
    }));
    waitReady(`att${n}`);
    const att = s.kubectlSync(['attach', '-i', `att${n}`], { bin, input: 'one\ntwo\n' });
    assert.equal(att.code, 0, att.stderr);
    assert.equal(att.stdout, 'echo: one\necho: two\n');
    assert.match(att.stderr, /^bye$/m);
    await until(`att${n} Succeeded`, () => jsonpath(`pod/att${n}`, '{.status.phase}') === 'Succeeded', 30_000);

    // exec -it: the process starts at the terminal's size and follows a resize.
    const ex = onTerminal40x100(['exec', '-it', 'env', '--', 'sh', '-c', 'stty size; read l; stty size'], bin);
    try {
      await ex.waitFor(/40 100/);
      await shrinkThenType(ex, '\r');
      assert.equal(await ex.exit, 0);
      assert.doesNotMatch(ex.out(), /0 0/, 'never a 0x0 terminal');
    } finally {
      ex.kill();
    }

    // attach -it to a tty container: conmon's pty takes the client's size, then the resize.
    ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `tty${n}` },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', stdin: true, tty: true, command: ['sh', '-c', 'read a; stty size; read b; stty size'] }] },
    }));
    waitReady(`tty${n}`);
    const at = onTerminal40x100(['attach', '-it', `tty${n}`], bin);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      at.type('a\r');
      await at.waitFor(/40 100/);
      await shrinkThenType(at, 'b\r');
      assert.equal(await at.exit, 0);
    } finally {
      at.kill();
    }
    await until(`tty${n} Succeeded`, () => jsonpath(`pod/tty${n}`, '{.status.phase}') === 'Succeeded', 30_000);
  }
});

function httpGet(port: number, path = '/'): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('an HTTP server pod with startup (exec), readiness (HTTP) and liveness (TCP) probes; port-forward reaches it', async () => {
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'httpd', image: 'httpd:1', ports: [{ name: 'http', containerPort: 80 }],
        startupProbe: { exec: { command: ['test', '-f', '/var/www/index.html'] }, periodSeconds: 1, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
        livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 2 },
      }],
    },
  }));
  waitReady('web');
  // Readiness follows /ready: remove it and the pod goes unready (Unhealthy event), restore it.
  ok(['exec', 'web', '--', 'rm', '/var/www/ready']);
  await until('web unready', () => jsonpath('pod/web', '{.status.conditions[?(@.type=="Ready")].status}') === 'False', 30_000);
  await until('Unhealthy event', () => k(['get', 'events', '--field-selector', 'involvedObject.name=web,reason=Unhealthy', '-o', 'jsonpath={.items[*].message}']).stdout.includes('Readiness probe failed: HTTP probe failed with statuscode: 404'), 30_000);
  ok(['exec', 'web', '--', 'sh', '-c', 'echo ok > /var/www/ready']);
  waitReady('web');
  assert.equal(jsonpath('pod/web', '{.status.containerStatuses[0].restartCount}'), '0', 'the TCP liveness probe kept passing');

  for (const bin of [undefined, kubectlVersion(27)]) {
    const pf = s.kubectlSpawn(['port-forward', 'pod/web', ':80'], bin);
    try {
      await until('port-forward listening', () => /Forwarding from 127\.0\.0\.1:\d+/.test(pf.out()), 20_000);
      const port = Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(pf.out())![1]);
      const r = await httpGet(port, '/');
      assert.equal(r.code, 200);
      assert.equal(r.body, 'hello from skiff\n');
    } finally {
      pf.proc.kill('SIGTERM');
    }
  }
});

test('init containers run in order to success before the main container', async () => {
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'init' },
    spec: {
      terminationGracePeriodSeconds: 1,
      initContainers: [
        { name: 'first', image: 'busybox', command: ['sh', '-c', 'echo first >> /work/order'], volumeMounts: [{ name: 'w', mountPath: '/work' }] },
        { name: 'second', image: 'busybox', command: ['sh', '-c', 'sleep 1; echo second >> /work/order'], volumeMounts: [{ name: 'w', mountPath: '/work' }] },
      ],
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'cat /work/order; exec sleep 3600'], volumeMounts: [{ name: 'w', mountPath: '/work' }] }],
      volumes: [{ name: 'w', emptyDir: {} }],
    },
  }));
  await until('init pod Initialized', () => jsonpath('pod/init', '{.status.conditions[?(@.type=="Initialized")].status}') === 'True', 90_000);
  waitReady('init');
  assert.equal(ok(['logs', 'init', '-c', 'main']), 'first\nsecond\n');
  assert.equal(jsonpath('pod/init', '{.status.initContainerStatuses[*].state.terminated.reason}'), 'Completed Completed');
});

test('a container over its memory limit is OOMKilled (137) and restarted with back-off', async () => {
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'oom' },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'hog', image: 'busybox', command: ['sh', '-c', 'echo start; x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo never'], resources: { limits: { memory: '32Mi' } } }],
    },
  }));
  await until('OOMKilled in lastState', () => jsonpath('pod/oom', '{.status.containerStatuses[0].lastState.terminated.reason}') === 'OOMKilled', 90_000);
  assert.equal(jsonpath('pod/oom', '{.status.containerStatuses[0].lastState.terminated.exitCode}'), '137');
  assert.equal(jsonpath('pod/oom', '{.status.qosClass}'), 'Burstable');
  await until('CrashLoopBackOff', () => jsonpath('pod/oom', '{.status.containerStatuses[0].state.waiting.reason}') === 'CrashLoopBackOff', 60_000);
  const table = ok(['get', 'pod', 'oom']);
  assert.match(table, /oom\s+0\/1\s+(CrashLoopBackOff|OOMKilled)\s+\d+/);
  await until('BackOff event', () => k(['get', 'events', '--field-selector', 'involvedObject.name=oom,reason=BackOff', '-o', 'name']).stdout.trim() !== '', 30_000);
  ok(['delete', 'pod', 'oom', '--grace-period=0', '--force']);
});

test("a Job's pod runs to completion and the Job completes", async () => {
  ok(['create', 'job', 'hello', '--image=busybox', '--', 'sh', '-c', 'echo job done']);
  ok(['wait', '--for=condition=complete', 'job/hello', '--timeout=90s']);
  assert.equal(ok(['logs', 'job/hello']).trim(), 'job done');
  const phase = ok(['get', 'pods', '-l', 'job-name=hello', '-o', 'jsonpath={.items[0].status.phase}']);
  assert.equal(phase, 'Succeeded');
  assert.match(ok(['get', 'pods', '-l', 'job-name=hello']), /0\/1\s+Completed\s+0/);
});

test('a missing image is ErrImagePull then ImagePullBackOff', async () => {
  ok(['run', 'nope', '--image=does-not-exist:1', '--restart=Never']);
  await until('image pull failure', () => /ErrImagePull|ImagePullBackOff/.test(jsonpath('pod/nope', '{.status.containerStatuses[0].state.waiting.reason}')), 60_000);
  await until('ImagePullBackOff', () => jsonpath('pod/nope', '{.status.containerStatuses[0].state.waiting.reason}') === 'ImagePullBackOff', 60_000);
  const ev = ok(['get', 'events', '--field-selector', 'involvedObject.name=nope', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}']);
  assert.match(ev, /Failed:Failed to pull image "does-not-exist:1"/);
  ok(['delete', 'pod', 'nope', '--grace-period=0', '--force']);
});

test('lifecycle hooks, termination messages and securityContext on runc', async (t) => {
  const hostDir = mkdtempSync(join(tmpdir(), 'skiff-prestop-'));
  t.after(() => rmSync(hostDir, { recursive: true, force: true }));
  const pod = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 5, ...spec } });
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'List', items: [
      pod('hooks', {
        containers: [{
          name: 'c', image: 'busybox',
          command: ['sh', '-c', 'until [ -f /tmp/started ]; do sleep 0.1; done; echo "postStart wrote $(cat /tmp/started)"; exec sleep 3600'],
          lifecycle: {
            postStart: { exec: { command: ['sh', '-c', 'echo yes > /tmp/started'] } },
            preStop: { exec: { command: ['sh', '-c', 'echo stopping > /hostdir/prestop'] } },
          },
          volumeMounts: [{ name: 'h', mountPath: '/hostdir' }],
        }],
        volumes: [{ name: 'h', hostPath: { path: hostDir, type: 'Directory' } }],
      }),
      pod('badhook', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } } }] }),
      pod('msg', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo "all done" > /dev/termination-log; exit 2'] }] }),
      pod('fallback', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'echo "from the log"; exit 1'] }] }),
      pod('secctx', {
        securityContext: { runAsUser: 1000, runAsGroup: 3000 },
        containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      }),
      pod('nonroot', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], securityContext: { runAsNonRoot: true } }] }),
    ],
  }));

  // postStart ran in the container (the main process waited for its file); preStop runs on delete.
  waitReady('hooks');
  await until('postStart output', () => k(['logs', 'hooks']).stdout.includes('postStart wrote yes'));
  ok(['delete', 'pod', 'hooks', '--wait=true', '--timeout=60s']);
  assert.equal(readFileSync(join(hostDir, 'prestop'), 'utf8'), 'stopping\n');

  // A failing postStart hook: FailedPostStartHook, and the container is killed and restarted.
  await until('FailedPostStartHook', () => k(['get', 'events', '--field-selector', 'involvedObject.name=badhook,reason=FailedPostStartHook', '-o', 'jsonpath={.items[*].message}']).stdout.includes(`Exec lifecycle hook ([sh -c exit 7]) for Container "c" in Pod "badhook_default(`), 60_000);
  await until('badhook restarted', () => Number(jsonpath('pod/badhook', '{.status.containerStatuses[0].restartCount}')) >= 1, 60_000);

  // Termination messages: the file, or the log's tail with FallbackToLogsOnError.
  await until('msg terminated', () => jsonpath('pod/msg', '{.status.phase}') === 'Failed', 60_000);
  assert.equal(jsonpath('pod/msg', '{.status.containerStatuses[0].state.terminated.message}'), 'all done\n');
  assert.equal(jsonpath('pod/msg', '{.status.containerStatuses[0].state.terminated.exitCode}'), '2');
  await until('fallback terminated', () => jsonpath('pod/fallback', '{.status.phase}') === 'Failed', 60_000);
  assert.equal(jsonpath('pod/fallback', '{.status.containerStatuses[0].state.terminated.message}'), 'from the log\n');

  // securityContext: user and group, a read-only root, no capabilities, no privilege escalation.
  waitReady('secctx');
  assert.equal(ok(['exec', 'secctx', '--', 'id']).trim(), 'uid=1000 gid=3000 groups=3000');
  const write = k(['exec', 'secctx', '--', 'touch', '/newfile']);
  assert.notEqual(write.code, 0);
  assert.match(write.stderr + write.stdout, /Read-only file system/);
  const status = ok(['exec', 'secctx', '--', 'cat', '/proc/self/status']);
  assert.match(status, /^CapEff:\s+0000000000000000$/m);
  assert.match(status, /^NoNewPrivs:\s+1$/m);
  // runAsNonRoot with an image that runs as root is refused before the container is created.
  await until('nonroot refused', () => jsonpath('pod/nonroot', '{.status.containerStatuses[0].state.waiting.reason}') === 'CreateContainerConfigError', 30_000);
  assert.match(jsonpath('pod/nonroot', '{.status.containerStatuses[0].state.waiting.message}'), /^container has runAsNonRoot and image will run as root \(pod: "nonroot_default\(.+\)", container: c\)$/);
  for (const p of ['badhook', 'msg', 'fallback', 'secctx', 'nonroot']) ok(['delete', 'pod', p, '--grace-period=0', '--force']);
});

test('faults: a crashing container, a hanging probe, an unsupported volume, a pod deleted mid-start', async () => {
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crash' }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo dying; exit 1'] }] } },
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hang' },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], livenessProbe: { exec: { command: ['sleep', '30'] }, timeoutSeconds: 1, periodSeconds: 2, failureThreshold: 1 } }],
        },
      },
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nfs' },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'n', mountPath: '/n' }] }], volumes: [{ name: 'n', nfs: { server: '127.0.0.1', path: '/' } }] },
      },
    ],
  }));
  const events = (name: string) => ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);

  // A container exiting 1: Error in lastState, CrashLoopBackOff, BackOff events.
  await until('crash: CrashLoopBackOff', () => jsonpath('pod/crash', '{.status.containerStatuses[0].state.waiting.reason}') === 'CrashLoopBackOff', 60_000);
  assert.equal(jsonpath('pod/crash', '{.status.containerStatuses[0].lastState.terminated.reason}'), 'Error');
  assert.equal(jsonpath('pod/crash', '{.status.containerStatuses[0].lastState.terminated.exitCode}'), '1');
  assert.equal(ok(['logs', 'crash', '--previous']).trim(), 'dying');
  await until('crash: BackOff event', () => /^BackOff: Back-off restarting failed container c in pod crash_default/m.test(events('crash')), 30_000);

  // An exec liveness probe that never returns: killed after timeoutSeconds, Unhealthy, restarted.
  await until('hang: restarted by its liveness probe', () => Number(jsonpath('pod/hang', '{.status.containerStatuses[0].restartCount}')) >= 1, 60_000);
  assert.match(events('hang'), /^Unhealthy: Liveness probe failed: command "sleep 30" timed out$/m);
  assert.match(events('hang'), /^Killing: Container c failed liveness probe, will be restarted$/m);

  // A volume type this node cannot mount: FailedMount, and the pod waits in ContainerCreating.
  await until('nfs: FailedMount', () => /^FailedMount: .*unsupported volume type for volume "n"/m.test(events('nfs')), 30_000);
  assert.equal(jsonpath('pod/nfs', '{.status.containerStatuses[0].state.waiting.reason}'), 'ContainerCreating');
  assert.equal(jsonpath('pod/nfs', '{.status.phase}'), 'Pending');

  // A pod deleted while it is being started leaves nothing behind.
  ok(['run', 'brief', '--image=busybox', '--restart=Never', '--', 'sleep', '3600']);
  await until('brief scheduled', () => jsonpath('pod/brief', '{.spec.nodeName}') === 'e2e-node', 10_000);
  const uid = jsonpath('pod/brief', '{.metadata.uid}');
  ok(['delete', 'pod', 'brief', '--grace-period=0', '--force']);
  await until('brief cleaned up', () =>
    !spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.includes(uid)
    && spawnSync('find', ['/sys/fs/cgroup/memory', '-maxdepth', '4', '-name', `pod${uid}`], { encoding: 'utf8' }).stdout.trim() === ''
    && !readFileSync('/proc/self/mountinfo', 'utf8').includes(uid)
    && !existsSync(join(dataDir, 'agent', 'pods', uid)), 30_000);
  for (const p of ['crash', 'hang', 'nfs']) ok(['delete', 'pod', p, '--grace-period=0', '--force']);
});

test("imagePullSecrets: a password-protected registry refuses the pull without the pod's secret and serves it with", async () => {
  const image = 'private.test/library/busybox:latest';
  ok(['run', 'nocreds', `--image=${image}`, '--restart=Never', '--', 'sleep', '3600']);
  await until('nocreds: ErrImagePull', () => /ErrImagePull|ImagePullBackOff/.test(jsonpath('pod/nocreds', '{.status.containerStatuses[0].state.waiting.reason}')), 60_000);
  const failed = ok(['get', 'events', '--field-selector', 'involvedObject.name=nocreds,reason=Failed', '-o', 'jsonpath={.items[*].message}']);
  assert.match(failed, new RegExp(`Failed to pull image "${image}": .*(401|[Uu]nauthorized)`));
  ok(['delete', 'pod', 'nocreds', '--grace-period=0', '--force']);

  ok(['create', 'secret', 'docker-registry', 'regcred', '--docker-server=private.test', '--docker-username=alice', '--docker-password=s3cret']);
  ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'withcreds' },
    spec: { terminationGracePeriodSeconds: 0, imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'c', image, command: ['sleep', '3600'] }] },
  }));
  waitReady('withcreds');
  // :latest is pulled Always, so the registry was asked (with the credentials) even though the same
  // image is already here under docker.io — whose digest imageID may then show, as containerd's does.
  assert.match(ok(['get', 'events', '--field-selector', 'involvedObject.name=withcreds,reason=Pulled', '-o', 'jsonpath={.items[*].message}']), new RegExp(`Successfully pulled image "${image}"`));
  ok(['delete', 'pod', 'withcreds', '--grace-period=0', '--force']);
});

test('kubelet killed with -9 and restarted: running pods keep running and are re-adopted, not restarted', async () => {
  const before = jsonpath('pod/env', '{.status.containerStatuses[0].containerID}');
  assert.match(before, /^runc:\/\//);
  s.proc!.kill('SIGKILL');
  await new Promise((r) => s.proc!.once('exit', r));
  await s.boot();
  await until('env still Running with the same container', () => jsonpath('pod/env', '{.status.containerStatuses[0].containerID}') === before && jsonpath('pod/env', '{.status.phase}') === 'Running', 60_000);
  // A few relists later, nothing was restarted or duplicated.
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(jsonpath('pod/env', '{.status.containerStatuses[0].restartCount}'), '0');
  assert.equal(jsonpath('pod/env', '{.status.containerStatuses[0].containerID}'), before);
  assert.equal(ok(['exec', 'env', '--', 'cat', '/etc/cfg/greeting']), 'hello');
  waitReady('web');
});

test('deleting a pod stops it within its grace period and leaves no netns, cgroup, mount or process behind', async () => {
  const uid = jsonpath('pod/env', '{.metadata.uid}');
  const id = agentId(dataDir);
  const started = Date.now();
  ok(['delete', 'pod', 'env', '--wait=true', '--timeout=60s']);
  assert.ok(Date.now() - started < 20_000, 'terminationGracePeriodSeconds 1 (sleep ignores SIGTERM as pid 1) bounds the stop');
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  assert.ok(!netns.includes(uid), `netns of ${uid} left: ${netns}`);
  const cgroups = spawnSync('find', ['/sys/fs/cgroup/memory', '-maxdepth', '4', '-name', `pod${uid}`], { encoding: 'utf8' }).stdout.trim();
  assert.equal(cgroups, '', 'pod cgroup removed');
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(uid));
  assert.deepEqual(mounts, [], 'no mounts of the pod');
  assert.ok(!existsSync(join(dataDir, 'agent', 'pods', uid)), 'pod dir removed');
  const logs = readdirSync(join(dataDir, 'agent', 'logs')).filter((d) => d.includes(uid));
  assert.deepEqual(logs, []);
  void id;
});
