import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numFeasibleNodesToFind, schedulePod, type Profile } from './schedule-one.js';
import { SchedulerCache } from './cache.js';
import { newRegistry, filterPlugins, scorePlugins } from './framework/registry.js';
import { makeNode, makePod, container } from './framework/testing.js';

const reg = newRegistry();
const profile: Profile = { filters: filterPlugins(reg), scorers: scorePlugins(reg), random: () => 0 };

test('numFeasibleNodesToFind: adaptive percentage as upstream', () => {
  const table: Array<[number, number, number]> = [
    [50, 0, 50], [99, 0, 99], [100, 0, 100], [1000, 0, 420], [5000, 0, 500], [6000, 0, 300], [10000, 0, 500], [1000, 10, 100], [1000, 100, 1000],
  ];
  for (const [nodes, pct, want] of table) assert.equal(numFeasibleNodesToFind(nodes, pct), want, `${nodes} nodes ${pct}%`);
});

test('schedulePod: fit error message, spreading through the cache, sampling on large clusters', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('a', { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] }));
  cache.addNode(makeNode('b'));
  cache.addNode(makeNode('c'));
  const big = makePod('big', { containers: [container({ cpu: '10' })] });
  const r = schedulePod(big, cache.snapshot(), profile);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.message, '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu.');

  const placed: string[] = [];
  for (let i = 0; i < 4; i++) {
    const p = makePod(`p${i}`, { containers: [container({ cpu: '1' })] });
    const res = schedulePod(p, cache.snapshot(), profile);
    assert.ok(res.ok);
    cache.assume(p, res.node);
    placed.push(res.node);
  }
  assert.deepEqual([...placed].sort(), ['b', 'b', 'c', 'c']);
  cache.forget(makePod('p0'));
  assert.equal(cache.snapshot().find((n) => n.node.metadata?.name === placed[0])!.pods.length, 1);

  const many = new SchedulerCache();
  for (let i = 0; i < 1000; i++) many.addNode(makeNode(`n${String(i).padStart(4, '0')}`));
  const res = schedulePod(makePod('x'), many.snapshot(), profile, 990);
  assert.ok(res.ok);
  assert.equal(res.evaluated, 420);
  assert.equal(res.nextStart, (990 + 420) % 1000);
});

test('cache: terminated and unbound pods do not count; informer copy replaces the assumed one', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('a'));
  const p = makePod('p', { containers: [container({ cpu: '1' })] });
  cache.assume(p, 'a');
  assert.equal(cache.isAssumed(p), true);
  cache.upsertPod({ ...p, spec: { ...p.spec!, nodeName: 'a' } });
  assert.equal(cache.isAssumed(p), false);
  assert.equal(cache.snapshot()[0]!.requested.milliCPU, 1000);
  cache.upsertPod({ ...p, spec: { ...p.spec!, nodeName: 'a' }, status: { phase: 'Succeeded' } });
  assert.equal(cache.snapshot()[0]!.requested.milliCPU, 0);
  cache.upsertPod(makePod('unbound'));
  assert.equal(cache.snapshot()[0]!.pods.length, 0);
  cache.addNode(makeNode('0-first'));
  assert.deepEqual(cache.snapshot().map((n) => n.node.metadata?.name), ['0-first', 'a']);
  cache.removeNode(makeNode('a'));
  assert.deepEqual(cache.snapshot().map((n) => n.node.metadata?.name), ['0-first']);
});

test('startScheduler: stop() before the informers ever sync returns', async () => {
  const { KubeClient } = await import('../client/index.js');
  const { startScheduler } = await import('./scheduler.js');
  // Nothing listens on port 1: every list fails and the informers keep retrying until stopped.
  const client = new KubeClient({ server: 'https://127.0.0.1:1', ca: '', token: 't' });
  const s = startScheduler(client, { onError: () => {} });
  await new Promise((r) => setTimeout(r, 50));
  await s.stop();
  client.close();
  assert.deepEqual(s.queue.stats(), { active: 0, backoff: 0, unschedulable: 0 });
});

test('cache: affinity lists follow pods with affinity; anti-affinity of an existing pod still rejects through them', () => {
  const cache = new SchedulerCache();
  for (const n of ['a', 'b']) cache.addNode(makeNode(n));
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } };
  cache.snapshot();
  assert.deepEqual(cache.affinityLists().nodesWithRequiredAntiAffinity, []);
  cache.assume(makePod('guard', { affinity: anti }), 'a');
  const snap = cache.snapshot();
  const lists = cache.affinityLists();
  assert.deepEqual(lists.nodesWithRequiredAntiAffinity.map((n) => n.node.metadata?.name), ['a']);
  assert.deepEqual(lists.nodesWithAffinity.map((n) => n.node.metadata?.name), ['a']);
  for (let i = 0; i < 3; i++) {
    const r = schedulePod(makePod(`x${i}`, {}, { app: 'x' }), snap, profile, 0, lists);
    assert.equal(r.ok && r.node, 'b');
  }
  cache.forget(makePod('guard'));
  cache.snapshot();
  assert.deepEqual(cache.affinityLists().nodesWithAffinity, []);
});

test('default spreading: pods of one ReplicaSet spread over nodes and zones; bare pods are not default-spread', () => {
  const run = (owned: boolean) => {
    const cache = new SchedulerCache();
    ['a', 'b', 'c'].forEach((n, i) => cache.addNode(makeNode(n, { cpu: '1000', memory: '1000Gi', labels: { 'topology.kubernetes.io/zone': `z${i}` } })));
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = makePod(`web-${i}`, {}, { app: 'web', 'pod-template-hash': 'h1' });
      const pod = owned ? { ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-h1', uid: 'rs', controller: true }] } } : p;
      const r = schedulePod(pod, cache.snapshot(), profile);
      assert.ok(r.ok);
      cache.assume(pod, r.node);
      placed.push(r.node);
    }
    return placed.sort().join('');
  };
  assert.equal(run(true), 'aabbcc');
  assert.equal(run(false), 'cccccc'); // ties go to the last node with random() = 0
});
