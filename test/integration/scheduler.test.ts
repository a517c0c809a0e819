// Integration: the scheduler against the in-process API server with Node objects created directly (no
// kubelet): pods bound to feasible nodes with balanced spreading, nodeSelector and tolerations honoured,
// an unplaceable pod gets PodScheduled=False and the upstream FailedScheduling text, and schedules once a
// fitting node appears. Ends with a small throughput figure (printed, not asserted tightly; `npm run bench` is the place for big figures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { startTestServer, type TestServer } from './harness.js';
import { KubeClient, type ResourceRef } from '../../src/client/index.js';
import { startScheduler, type RunningScheduler } from '../../src/scheduler/index.js';

let ts: TestServer;
let client: KubeClient;
let sched: RunningScheduler;
const nodesRef: ResourceRef = { group: '', version: 'v1', resource: 'nodes' };
const podsRef = (ns: string, name?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'pods', namespace: ns, name });

const node = (name: string, cpu: string, opts: { labels?: Record<string, string>; taints?: Taint[] } = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
  spec: { taints: opts.taints },
  status: { capacity: { cpu, memory: '8Gi', pods: '110' }, allocatable: { cpu, memory: '8Gi', pods: '110' } },
});
const pod = (name: string, cpu: string, spec: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'img', resources: { requests: { cpu, memory: '64Mi' } } }], ...spec },
});

async function until<T>(f: () => Promise<T | undefined>, what: string, ms = 5000, pollMs = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
const nodeOf = (ns: string, name: string) =>
  until(async () => (await client.get<Pod>(podsRef(ns, name))).spec?.nodeName || undefined, `${ns}/${name} bound`);

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  await client.create(nodesRef, node('node-a', '4', { labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] }));
  await client.create(nodesRef, node('node-b', '4'));
  await client.create(nodesRef, node('node-c', '4', { labels: { disk: 'ssd' } }));
  sched = startScheduler(client, { onError: () => {} });
});
after(async () => {
  await sched.stop();
  client.close();
  await ts.close();
});

test('scheduler: pods spread over the untainted nodes; nodeSelector and toleration are honoured', async () => {
  for (let i = 0; i < 4; i++) await client.create(podsRef('default'), pod(`web-${i}`, '500m'));
  const placed = await Promise.all([0, 1, 2, 3].map((i) => nodeOf('default', `web-${i}`)));
  assert.deepEqual(placed.sort(), ['node-b', 'node-b', 'node-c', 'node-c']);

  await client.create(podsRef('default'), pod('ssd', '100m', { nodeSelector: { disk: 'ssd' } }));
  assert.equal(await nodeOf('default', 'ssd'), 'node-c');
  // Tolerating the taint and selecting the tainted node's unique label.
  await client.create(podsRef('default'), pod('infra', '100m', {
    nodeSelector: { 'kubernetes.io/hostname': 'node-a' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
  }));
  assert.equal(await nodeOf('default', 'infra'), 'node-a');

  const events = await client.list<Event>({ group: '', version: 'v1', resource: 'events', namespace: 'default' });
  const scheduled = events.items.find((e) => e.reason === 'Scheduled' && e.involvedObject.name === 'infra');
  assert.equal(scheduled?.message, 'Successfully assigned default/infra to node-a');
  assert.equal(scheduled?.type, 'Normal');
});

test('scheduler: a pod that fits nowhere gets PodScheduled=False and FailedScheduling; a new node makes it fit', async () => {
  await client.create(podsRef('default'), pod('huge', '10'));
  const want =
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
  const ev = await until(async () => {
    const l = await client.list<Event>({ group: '', version: 'v1', resource: 'events', namespace: 'default' });
    return l.items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'huge');
  }, 'FailedScheduling event');
  assert.equal(ev.message, want);
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.reportingComponent, 'default-scheduler');
  assert.equal(ev.involvedObject.kind, 'Pod');
  const cond = await until(async () => {
    const p = await client.get<Pod>(podsRef('default', 'huge'));
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  }, 'PodScheduled condition');
  assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', want]);
  assert.equal((await client.get<Pod>(podsRef('default', 'huge'))).spec?.nodeName, undefined);

  await client.create(nodesRef, node('node-d', '16'));
  assert.equal(await nodeOf('default', 'huge'), 'node-d');
});

test('scheduler: throughput, 300 pods onto 30 nodes', async () => {
  await client.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } });
  for (let i = 0; i < 30; i++) await client.create(nodesRef, node(`bulk-${String(i).padStart(2, '0')}`, '32'));
  const t0 = Date.now();
  const names = Array.from({ length: 300 }, (_, i) => `p-${i}`);
  for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map((n) => client.create(podsRef('bulk'), pod(n, '100m'))));
  const bound = await until(async () => {
    const l = await client.list<Pod>(podsRef('bulk'));
    const n = l.items.filter((p) => p.spec?.nodeName).length;
    return n === names.length ? l.items : undefined;
  }, 'all bulk pods bound', 8000, 100);
  const secs = (Date.now() - t0) / 1000;
  console.log(`scheduler throughput: ${names.length} pods onto 34 nodes in ${secs.toFixed(2)} s (${(names.length / secs).toFixed(0)} pods/s incl. creation)`);
  // Every pod landed on a node that exists and is untainted; spreading keeps every bulk node in use.
  const used = new Set(bound.map((p) => p.spec!.nodeName!));
  assert.ok(!used.has('node-a'));
  assert.ok([...used].filter((n) => n.startsWith('bulk-')).length >= 27, `bulk nodes used: ${used.size}`);
});
