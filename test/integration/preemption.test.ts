// Integration: priority and preemption in a whole in-process cluster (API server, two simulated nodes,
// the scheduler). PriorityClass admission resolves spec.priority (403 for an unknown class, the
// globalDefault class for pods without one); binding sets PodScheduled=True; low-priority pods that
// fill the nodes are preempted by a high-priority pod — one victim, DisruptionTarget, a Preempted event,
// nominatedNodeName — and the preemptor then runs there; FailedScheduling carries upstream's
// preemption suffix when preemption cannot help.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { startTestCluster, eventually, ref, type TestCluster } from './cluster.js';
import { StatusError } from '../../src/machinery/errors.js';

let c: TestCluster;
const pods = (name?: string) => ref('', 'v1', 'pods', 'default', name);
const classes = ref('scheduling.k8s.io', 'v1', 'priorityclasses');

before(async () => {
  c = await startTestCluster({ nodes: 2 });
  const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
  await c.client.create(classes, pc('low', 10));
  await c.client.create(classes, pc('high', 1000));
  await c.client.create(classes, pc('high-never', 1000, { preemptionPolicy: 'Never' }));
});
after(async () => {
  await c?.close();
});

const pod = (name: string, cpu: string, priorityClassName?: string, labels?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { priorityClassName, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'img', resources: { requests: { cpu } } }] },
});
const get = (name: string) => c.client.get<Pod>(pods(name));
const failedScheduling = async (name: string) => (await c.events('default', name)).filter((e) => e.reason === 'FailedScheduling').map((e) => e.message);

test('priority admission: class → priority and preemptionPolicy; unknown class is 403', async () => {
  const p = await c.client.create<Pod>(pods(), { ...pod('probe', '1', 'high-never'), metadata: { name: 'probe' } });
  assert.deepEqual([p.spec?.priority, p.spec?.preemptionPolicy], [1000, 'Never']);
  const sys = await c.client.create<Pod>(pods(), pod('sys', '1', 'system-node-critical'));
  assert.equal(sys.spec?.priority, 2000001000);
  const system = await c.client.list<PriorityClass>(classes);
  const byName = Object.fromEntries(system.items.map((x) => [x.metadata?.name, x.value]));
  assert.equal(byName['system-node-critical'], 2000001000);
  assert.equal(byName['system-cluster-critical'], 2000000000);
  await assert.rejects(c.client.create(pods(), pod('nope', '1', 'nope')), (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 403);
    assert.equal(e.message, 'pods "nope" is forbidden: no PriorityClass with name nope was found');
    return true;
  });
  await assert.rejects(c.client.create(pods(), { ...pod('wrong', '1', 'low'), spec: { ...pod('wrong', '1', 'low').spec!, priority: 5 } }), /the integer value of priority \(5\) must not be provided in pod spec; priority admission controller computed 10 from the given PriorityClass name/);
  await c.client.delete(pods('probe'), { gracePeriodSeconds: 0 });
  await c.client.delete(pods('sys'), { gracePeriodSeconds: 0 });
  await eventually(async () => (await c.client.list<Pod>(pods())).items.length === 0, 'probe pods gone');
});

test('binding sets PodScheduled=True; a high-priority pod preempts one low-priority pod and runs in its place', async () => {
  // Each simulated node has 31800m allocatable: one 20-CPU pod per node fills the cluster.
  for (const n of ['low-0', 'low-1']) await c.client.create(pods(), pod(n, '20', 'low', { app: 'low' }));
  const bound = await eventually(async () => {
    const p = await get('low-0');
    return p.status?.phase === 'Running' && p;
  }, 'low-0 running');
  const sched = bound.status?.conditions?.find((x) => x.type === 'PodScheduled');
  assert.equal(sched?.status, 'True');
  await eventually(async () => (await get('low-1')).status?.phase === 'Running', 'low-1 running');

  // Same priority as the victims would be: nothing to preempt.
  await c.client.create(pods(), pod('peer', '20', 'low'));
  const peerMsg = await eventually(async () => (await failedScheduling('peer'))[0], 'FailedScheduling for peer');
  assert.equal(peerMsg, '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..');
  // preemptionPolicy Never: not eligible.
  await c.client.create(pods(), pod('polite', '20', 'high-never'));
  const politeMsg = await eventually(async () => (await failedScheduling('polite'))[0], 'FailedScheduling for polite');
  assert.equal(politeMsg, '0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
  await c.client.delete(pods('peer'));
  await c.client.delete(pods('polite'));

  const hi = await c.client.create<Pod>(pods(), pod('hi', '20', 'high'));
  const nominated = await eventually(async () => (await get('hi')).status?.nominatedNodeName, 'nominatedNodeName');
  const hiMsg = await eventually(async () => (await failedScheduling('hi'))[0], 'FailedScheduling for hi');
  assert.equal(hiMsg, '0/2 nodes are available: 2 Insufficient cpu.');
  const running = await eventually(async () => {
    const p = await get('hi');
    return p.status?.phase === 'Running' && p;
  }, 'hi running', 20_000);
  assert.equal(running.spec?.nodeName, nominated);
  const left = (await c.client.list<Pod>(pods())).items.filter((p) => p.metadata?.labels?.app === 'low');
  assert.equal(left.length, 1, 'exactly one victim');
  assert.notEqual(left[0]!.spec?.nodeName, nominated);
  const victim = ['low-0', 'low-1'].find((n) => n !== left[0]!.metadata?.name)!;
  const preempted = (await c.events('default', victim)).find((e) => e.reason === 'Preempted');
  assert.equal(preempted?.message, `Preempted by pod ${hi.metadata?.uid} on node ${nominated}`);
  assert.equal(preempted?.type, 'Normal');
  assert.equal(preempted?.source?.component, 'default-scheduler');
});

test('a globalDefault PriorityClass applies to pods without a class', async () => {
  await c.client.create(classes, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'everyone' }, value: 7, globalDefault: true });
  const p = await c.client.create<Pod>(pods(), pod('plain', '1'));
  assert.deepEqual([p.spec?.priorityClassName, p.spec?.priority, p.spec?.preemptionPolicy], ['everyone', 7, 'PreemptLowerPriority']);
});
