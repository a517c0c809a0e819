import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { schedulePod, type Profile } from '../schedule-one.js';
import { newRegistry, filterPlugins, scorePlugins } from '../framework/registry.js';
import { newNodeInfo } from '../framework/node-info.js';
import { fitErrorMessage } from '../framework/failure-message.js';
import { container, makeNode, makePod } from '../framework/testing.js';
import { CycleState, type NodeInfo } from '../framework/types.js';
import { pickOneNodeForPreemption, preempt, numCandidates, type PreemptResult } from './preempt.js';
import { selectVictimsOnNode, splitByPDB } from './victims.js';
import { Nominator } from './nominator.js';

const reg = newRegistry();
const profile: Profile = { filters: filterPlugins(reg), scorers: scorePlugins(reg), random: () => 0 };

function pod(name: string, cpu: string, priority: number, extra: Partial<Pod['spec']> = {}, labels?: Record<string, string>, start = '2026-01-01T00:00:00Z'): Pod {
  const p = makePod(name, { containers: [container({ cpu })], priority, ...extra }, labels);
  return { ...p, metadata: { ...p.metadata, creationTimestamp: start } };
}

/** Schedules `p` over `nodes`; on failure runs preemption as the scheduler does and returns both. */
function attempt(p: Pod, nodes: NodeInfo[], pdbs: PodDisruptionBudget[] = []): { message: string; result: PreemptResult } {
  const res = schedulePod(p, nodes, profile);
  assert.equal(res.ok, false);
  if (res.ok) throw new Error('unreachable');
  const result = preempt({
    pod: p,
    nodes,
    statuses: res.statuses!,
    fit: { filters: profile.filters, state: res.state!, pre: { nodes } },
    pdbs,
    random: () => 0,
  });
  return { message: result.ok ? res.message : `${res.message} ${result.message}.`, result };
}

test('selectVictimsOnNode: fewest victims, most important reprieved first', () => {
  const ni = newNodeInfo(makeNode('n', { cpu: '4' }), [pod('low-1', '1', 0), pod('low-2', '2', 0), pod('mid', '1', 10)]);
  const r = selectVictimsOnNode(pod('hi', '2', 100), ni, { filters: profile.filters, state: new CycleState(), pre: { nodes: [ni] } });
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.victims.pods.map((p) => p.metadata!.name), ['low-2']);
  // Equal priority is never a victim.
  const same = selectVictimsOnNode(pod('p', '2', 10), newNodeInfo(makeNode('n', { cpu: '1' }), [pod('mid', '1', 10)]), {
    filters: profile.filters,
    state: new CycleState(),
    pre: { nodes: [] },
  });
  assert.deepEqual(!same.ok && same.status.reasons, ['No preemption victims found for incoming pod']);
});

test('preempt: picks the node whose highest victim priority is lowest, then fewest victims', () => {
  const nodes = [
    newNodeInfo(makeNode('a', { cpu: '2' }), [pod('a1', '2', 50)]),
    newNodeInfo(makeNode('b', { cpu: '2' }), [pod('b1', '1', 10), pod('b2', '1', 10)]),
    newNodeInfo(makeNode('c', { cpu: '2' }), [pod('c1', '2', 10)]),
  ];
  const { message, result } = attempt(pod('hi', '2', 100), nodes);
  assert.ok(result.ok);
  assert.equal(result.ok && result.node, 'c');
  assert.deepEqual(result.ok && result.victims.pods.map((p) => p.metadata!.name), ['c1']);
  assert.equal(message, '0/3 nodes are available: 3 Insufficient cpu.');
});

test('preempt: messages when nothing can be preempted', () => {
  const nodes = [
    newNodeInfo(makeNode('a', { cpu: '1', taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] })),
    newNodeInfo(makeNode('b', { cpu: '1' }), [pod('b1', '1', 0)]),
    newNodeInfo(makeNode('c', { cpu: '1' }), [pod('c1', '1', 0)]),
  ];
  const rows: { name: string; pod: Pod; want: string }[] = [
    {
      name: 'equal priority',
      pod: pod('x', '1', 0),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    },
    {
      name: 'too big even on an empty node',
      pod: pod('x', '8', 100),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 Insufficient cpu..',
    },
    {
      name: 'preemptionPolicy Never',
      pod: pod('x', '1', 100, { preemptionPolicy: 'Never' }),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    },
  ];
  for (const r of rows) assert.equal(attempt(r.pod, nodes).message, r.want, r.name);
  const three = [1, 2, 3].map((i) => newNodeInfo(makeNode(`n${i}`, { cpu: '1' }), [pod(`p${i}`, '1', 0)]));
  assert.equal(
    attempt(pod('x', '2', 0), three).message,
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
  );
});

test('preempt: a PDB-protected victim is avoided when another node needs none', () => {
  const web = { app: 'web' };
  const nodes = [
    newNodeInfo(makeNode('a', { cpu: '1' }), [pod('w1', '1', 0, {}, web)]),
    newNodeInfo(makeNode('b', { cpu: '1' }), [pod('o1', '1', 5)]),
  ];
  const pdb: PodDisruptionBudget = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: web } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } };
  assert.deepEqual(splitByPDB(nodes[0]!.pods, [pdb]).violating.length, 1);
  const { result } = attempt(pod('hi', '1', 100), nodes, [pdb]);
  assert.equal(result.ok && result.node, 'b');
  // Without the PDB the lower-priority victim wins.
  const r = attempt(pod('hi', '1', 100), nodes).result;
  assert.equal(r.ok && r.node, 'a');
});

test('pickOneNodeForPreemption: tie-breakers in upstream order', () => {
  const v = (pods: Pod[], pdb = 0) => ({ pods, numPDBViolations: pdb });
  const c = (node: string, victims: ReturnType<typeof v>) => ({ node, victims });
  const rows: { name: string; cands: ReturnType<typeof c>[]; want: string }[] = [
    { name: 'fewest PDB violations', cands: [c('a', v([pod('1', '1', 0)], 1)), c('b', v([pod('2', '1', 50)]))], want: 'b' },
    { name: 'lowest highest priority', cands: [c('a', v([pod('1', '1', 20)])), c('b', v([pod('2', '1', 10), pod('3', '1', 10)]))], want: 'b' },
    { name: 'smallest priority sum', cands: [c('a', v([pod('1', '1', 10), pod('2', '1', 5)])), c('b', v([pod('3', '1', 10), pod('4', '1', 0)]))], want: 'b' },
    { name: 'fewest victims', cands: [c('a', v([pod('1', '1', 10), pod('2', '1', 0)])), c('b', v([pod('3', '1', 10), pod('4', '1', 0)])), c('c', v([pod('5', '1', 10)]))], want: 'c' },
    {
      name: 'latest start of the highest victims',
      cands: [c('a', v([pod('1', '1', 10, {}, undefined, '2026-01-01T00:00:00Z')])), c('b', v([pod('2', '1', 10, {}, undefined, '2026-01-02T00:00:00Z')]))],
      want: 'b',
    },
    { name: 'first otherwise', cands: [c('a', v([pod('1', '1', 10)])), c('b', v([pod('2', '1', 10)]))], want: 'a' },
  ];
  for (const r of rows) assert.equal(pickOneNodeForPreemption(r.cands).node, r.want, r.name);
  assert.deepEqual([numCandidates(3), numCandidates(500), numCandidates(5000)], [3, 100, 500]);
});

test('nominated pods of higher priority reserve their node; lower ones do not', () => {
  const nominator = new Nominator();
  const hi = pod('hi', '2', 100);
  nominator.set(hi, 'a');
  const nodes = [newNodeInfo(makeNode('a', { cpu: '2' })), newNodeInfo(makeNode('b', { cpu: '1' }))];
  const p: Profile = { ...profile, nominated: (n, x) => nominator.podsFor(n, x) };
  const low = schedulePod(pod('low', '1', 0), nodes, p);
  assert.equal(low.ok && low.node, 'b');
  const higher = schedulePod(pod('higher', '2', 200), nodes, p);
  assert.equal(higher.ok && higher.node, 'a');
  assert.equal(nominator.nodeOf(hi), 'a');
  nominator.observe({ ...hi, spec: { ...hi.spec!, nodeName: 'a' } });
  assert.equal(nominator.nodeOf(hi), undefined);
  assert.equal(fitErrorMessage({ numAllNodes: 1, nodeStatuses: new Map(), postFilterMsg: 'preemption: x' }), '0/1 nodes are available: preemption: x.');
});
