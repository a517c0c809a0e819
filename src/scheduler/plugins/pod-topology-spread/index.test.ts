import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { plugin, ERR_CONSTRAINTS, ERR_MISSING_LABEL } from './index.js';
import { CycleState, type NodeInfo, type NodeScore } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../framework/testing.js';

const web = (name: string, extra: Partial<Pod['spec']> = {}) => makePod(name, extra, { app: 'web' });
const spread = (topologyKey: string, maxSkew: number, mode: 'DoNotSchedule' | 'ScheduleAnyway', more: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  topologyKey,
  maxSkew,
  whenUnsatisfiable: mode,
  labelSelector: { matchLabels: { app: 'web' } },
  ...more,
});

// zone a: n1 (2 web pods), n2 (0); zone b: n3 (0); n4 has no zone label.
const cluster = (): NodeInfo[] => [
  newNodeInfo(makeNode('n1', { labels: { zone: 'a' } }), [web('w1'), web('w2')]),
  newNodeInfo(makeNode('n2', { labels: { zone: 'a' } })),
  newNodeInfo(makeNode('n3', { labels: { zone: 'b' } })),
  newNodeInfo(makeNode('n4')),
];

test('PodTopologySpread filter', () => {
  const rows: { name: string; constraints: TopologySpreadConstraint[]; labels?: Record<string, string>; want: string[] }[] = [
    // zones a=2, b=0: a → 2+1-0 = 3 > 1; b → 1 ≤ 1
    { name: 'zone maxSkew 1', constraints: [spread('zone', 1, 'DoNotSchedule')], want: [ERR_CONSTRAINTS, ERR_CONSTRAINTS, 'ok', ERR_MISSING_LABEL] },
    { name: 'zone maxSkew 3', constraints: [spread('zone', 3, 'DoNotSchedule')], want: ['ok', 'ok', 'ok', ERR_MISSING_LABEL] },
    // hostnames n1=2, n2=0, n3=0, n4=0 → n1: 3 > 1
    { name: 'hostname maxSkew 1', constraints: [spread('kubernetes.io/hostname', 1, 'DoNotSchedule')], want: [ERR_CONSTRAINTS, 'ok', 'ok', 'ok'] },
    // pod does not match its own selector → no +1: a: 2-0 = 2 > 1 still
    { name: 'not self-matching', constraints: [spread('zone', 2, 'DoNotSchedule')], labels: { app: 'other' }, want: ['ok', 'ok', 'ok', ERR_MISSING_LABEL] },
    // minDomains 3 > 2 zones → global minimum treated as 0; b: 0+1-0 = 1 ok; a: 3 > 2
    { name: 'minDomains', constraints: [spread('zone', 2, 'DoNotSchedule', { minDomains: 3 })], want: [ERR_CONSTRAINTS, ERR_CONSTRAINTS, 'ok', ERR_MISSING_LABEL] },
    { name: 'ScheduleAnyway ignored by filter', constraints: [spread('zone', 1, 'ScheduleAnyway')], want: ['ok', 'ok', 'ok', 'ok'] },
  ];
  for (const r of rows) {
    const pod = makePod('p', { topologySpreadConstraints: r.constraints }, r.labels ?? { app: 'web' });
    const state = new CycleState();
    const ctx = { nodes: cluster() };
    plugin.preFilter(state, pod, ctx);
    assert.deepEqual(ctx.nodes.map((ni) => plugin.filter(state, pod, ni).reasons[0] ?? 'ok'), r.want, r.name);
  }
});

test('PodTopologySpread score', () => {
  const rows: { name: string; constraints: TopologySpreadConstraint[]; feasible: number[]; want: number[] }[] = [
    // hostname, 3 feasible nodes with 2, 0, 0 pods: weight log(5)=1.609 → raw [3, 0, 0] → [0, 100, 100]
    { name: 'hostname', constraints: [spread('kubernetes.io/hostname', 1, 'ScheduleAnyway')], feasible: [0, 1, 2], want: [0, 100, 100] },
    // zone: 2 domains, weight log(4)=1.386; a=2 → raw 3 (n1, n2), b=0 → 0; n4 ignored → 0
    { name: 'zone with unlabelled node', constraints: [spread('zone', 1, 'ScheduleAnyway')], feasible: [0, 1, 2, 3], want: [0, 0, 100, 0] },
    // maxSkew 2 adds 1 to each: raw [4, 4, 1] → (4+1-s)*100/4 → [25, 25, 100]
    { name: 'maxSkew offset', constraints: [spread('zone', 2, 'ScheduleAnyway')], feasible: [0, 1, 2], want: [25, 25, 100] },
    { name: 'no constraints', constraints: [], feasible: [0, 1], want: [0, 0] },
  ];
  for (const r of rows) {
    const pod = web('p', { topologySpreadConstraints: r.constraints });
    const nodes = cluster();
    const feasible = r.feasible.map((i) => nodes[i]!);
    const state = new CycleState();
    plugin.preScore(state, pod, { nodes, feasible });
    const scores: NodeScore[] = feasible.map((ni) => ({ name: ni.node.metadata!.name!, score: plugin.score(state, pod, ni) }));
    plugin.normalize(state, pod, scores);
    assert.deepEqual(scores.map((s) => s.score), r.want, r.name);
  }
});
