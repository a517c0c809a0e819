// ProbeManager with real probes against 127.0.0.1 servers and a fake exec. A probe "second" is
// 50 ms here (secondMs), so periods and initial delays are short while timeouts stay real.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { ProbeManager, type ProbeManagerOptions, type RestartReason } from './manager.js';
import type { ExecResult } from './probe.js';

const SECOND = 50;
let status = 200;
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  if (req.url === '/hang') return;
  res.writeHead(status).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
after(() => {
  server.close();
  server.closeAllConnections();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Recorded {
  events: string[];
  restarts: Array<{ name: string; id: string; reason: RestartReason; message: string }>;
  changes: number;
  execs: string[][];
}

function setup(containers: Container[], exec: (argv: string[]) => ExecResult | Promise<ExecResult> = () => ({ exitCode: 0, output: '' })) {
  const rec: Recorded = { events: [], restarts: [], changes: 0, execs: [] };
  const opts: ProbeManagerOptions = {
    secondMs: SECOND,
    exec: async (_uid, _id, argv) => {
      rec.execs.push(argv);
      return exec(argv);
    },
    onRestartNeeded: (_uid, name, id, reason, message) => rec.restarts.push({ name, id, reason, message }),
    onEvent: (_pod, type, reason, message) => rec.events.push(`${type} ${reason} ${message}`),
    onChange: () => rec.changes++,
  };
  const m = new ProbeManager(opts);
  const pod: Pod = { metadata: { uid: 'u1', name: 'p', namespace: 'default' }, spec: { containers }, status: { podIP: '127.0.0.1' } };
  m.addPod(pod);
  return { m, rec, pod };
}

test('no probes: started and ready while running; unknown IDs', () => {
  const { m } = setup([{ name: 'c' }]);
  assert.equal(m.started('x'), undefined);
  assert.equal(m.readiness('x'), false);
  m.onContainerStarted('u1', 'c', 'id1', Date.now());
  assert.equal(m.started('id1'), true);
  assert.equal(m.readiness('id1'), true);
  m.onContainerExited('u1', 'c');
  assert.equal(m.started('id1'), false);
  assert.equal(m.readiness('id1'), false);
  m.stop();
});

test('readiness: starts false, follows the server through the thresholds, emits Unhealthy events', async (t) => {
  status = 200;
  const { m, rec } = setup([{ name: 'c', readinessProbe: { httpGet: { port, path: '/ready' }, periodSeconds: 1, failureThreshold: 2, successThreshold: 2 } }]);
  t.after(() => m.stop());
  m.onContainerStarted('u1', 'c', 'id1', Date.now());
  assert.equal(m.started('id1'), true);
  assert.equal(m.readiness('id1'), false);
  const h0 = hits;
  await until(() => m.readiness('id1'), 'ready');
  assert.ok(hits - h0 >= 2, 'successThreshold 2 needs two successes');
  const changes = rec.changes;
  status = 503;
  const h1 = hits;
  await until(() => !m.readiness('id1'), 'not ready');
  assert.ok(hits - h1 >= 2, 'failureThreshold 2 needs two failures');
  assert.ok(rec.changes > changes);
  assert.ok(rec.events.includes('Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 503'), rec.events.join('\n'));
  assert.equal(rec.restarts.length, 0, 'readiness never restarts');
});

test('startup gates liveness and readiness; started flips on startup success', async (t) => {
  let up = false;
  const { m, rec } = setup(
    [{
      name: 'c',
      startupProbe: { exec: { command: ['test', '-f', '/started'] }, periodSeconds: 1, failureThreshold: 100 },
      livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1 },
      readinessProbe: { tcpSocket: { port }, periodSeconds: 1 },
    }],
    (argv) => ({ exitCode: argv[0] === 'live' || up ? 0 : 1, output: '' }),
  );
  t.after(() => m.stop());
  m.onContainerStarted('u1', 'c', 'id1', Date.now());
  await until(() => rec.execs.length >= 3, 'startup attempts');
  assert.equal(m.started('id1'), false);
  assert.equal(m.readiness('id1'), false);
  assert.ok(rec.execs.every((a) => a[0] === 'test'), 'no liveness before startup succeeded');
  assert.ok(rec.events.every((e) => e.startsWith('Warning Unhealthy Startup probe failed')), rec.events.join('\n'));
  up = true;
  await until(() => m.started('id1') === true, 'started');
  await until(() => m.readiness('id1'), 'ready');
  await until(() => rec.execs.some((a) => a[0] === 'live'), 'liveness runs');
  const startups = rec.execs.filter((a) => a[0] === 'test').length;
  await sleep(4 * SECOND);
  assert.equal(rec.execs.filter((a) => a[0] === 'test').length, startups, 'startup probe stops after success');
});

test('startup failure past the threshold asks for a restart', async (t) => {
  const { m, rec } = setup([{ name: 'c', startupProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 3 } }], () => ({ exitCode: 1, output: 'no' }));
  t.after(() => m.stop());
  m.onContainerStarted('u1', 'c', 'id1', Date.now());
  await until(() => rec.restarts.length > 0, 'restart');
  assert.equal(rec.execs.length, 3);
  assert.deepEqual(rec.restarts, [{ name: 'c', id: 'id1', reason: 'startup', message: 'Container c failed startup probe, will be restarted' }]);
  assert.equal(m.started('id1'), false);
});

test('liveness: restart once after failureThreshold, hold until the new container, initial delay honoured', async (t) => {
  let exit = 1;
  const { m, rec } = setup([{ name: 'c', livenessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 2, initialDelaySeconds: 6 } }], () => ({ exitCode: exit, output: 'sick' }));
  t.after(() => m.stop());
  const t0 = Date.now();
  m.onContainerStarted('u1', 'c', 'id1', t0);
  await until(() => rec.execs.length > 0, 'first probe');
  assert.ok(Date.now() - t0 >= 6 * SECOND - 5, `first probe after the initial delay (${Date.now() - t0} ms)`);
  await until(() => rec.restarts.length > 0, 'restart');
  assert.deepEqual(rec.restarts, [{ name: 'c', id: 'id1', reason: 'liveness', message: 'Container c failed liveness probe, will be restarted' }]);
  assert.deepEqual(rec.events, ['Warning Unhealthy Liveness probe failed: sick', 'Warning Unhealthy Liveness probe failed: sick']);
  await sleep(4 * SECOND);
  assert.equal(rec.execs.length, 2, 'on hold after the failure');
  exit = 0;
  m.onContainerStarted('u1', 'c', 'id2', Date.now());
  assert.equal(m.started('id1'), undefined, 'the old instance is forgotten');
  await until(() => rec.execs.length >= 4, 'probing resumes for the new container');
  assert.equal(rec.restarts.length, 1);
});

test('a server that never answers: timeouts fail the liveness probe', async (t) => {
  const { m, rec } = setup([{ name: 'c', livenessProbe: { httpGet: { port, path: '/hang' }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 } }]);
  t.after(() => m.stop());
  m.onContainerStarted('u1', 'c', 'id1', Date.now());
  await until(() => rec.restarts.length > 0, 'restart', 5000);
  assert.deepEqual(rec.events, [`Warning Unhealthy Liveness probe failed: Get "http://127.0.0.1:${port}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`]);
  assert.equal(rec.restarts[0]!.reason, 'liveness');
});

test('removePod and stop end all probing', async () => {
  const { m, rec } = setup([{ name: 'c', livenessProbe: { exec: { command: ['x'] }, periodSeconds: 1 } }]);
  m.onContainerStarted('u1', 'c', 'id1', Date.now());
  await until(() => rec.execs.length > 0, 'a probe');
  m.removePod('u1');
  const n = rec.execs.length;
  await sleep(3 * SECOND);
  assert.equal(rec.execs.length, n);
  assert.equal(m.started('id1'), undefined);
  m.stop();
});
