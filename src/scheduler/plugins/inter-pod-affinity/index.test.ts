import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Affinity, Pod } from 'kubernetes-types/core/v1.js';
import { plugin, ERR_AFFINITY, ERR_ANTI_AFFINITY, ERR_EXISTING_ANTI_AFFINITY } from './index.js';
import { CycleState, type NodeScore } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../framework/testing.js';

const term = (app: string, topologyKey = 'zone') => ({ labelSelector: { matchLabels: { app } }, topologyKey });
const aff = (app: string, key?: string): Affinity => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(app, key)] } });
const anti = (app: string, key?: string): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(app, key)] } });
const pod = (name: string, app: string, affinity?: Affinity, ns?: string) => makePod(name, { affinity }, { app }, ns);

// zone a: n1 (runs db), n2 (empty); zone b: n3 (runs web with anti-affinity to "cache"); n4 has no zone.
const nodes = () => [
  newNodeInfo(makeNode('n1', { labels: { zone: 'a' } }), [pod('db-0', 'db')]),
  newNodeInfo(makeNode('n2', { labels: { zone: 'a' } })),
  newNodeInfo(makeNode('n3', { labels: { zone: 'b' } }), [pod('web-0', 'web', anti('cache'))]),
  newNodeInfo(makeNode('n4')),
];

function run(p: Pod): string[] {
  const state = new CycleState();
  const ctx = { nodes: nodes() };
  assert.equal(plugin.preFilter(state, p, ctx).code, 'Success');
  return ctx.nodes.map((ni) => plugin.filter(state, p, ni).reasons[0] ?? 'ok');
}

test('InterPodAffinity filter', () => {
  const rows: { name: string; pod: Pod; want: string[] }[] = [
    { name: 'no affinity', pod: pod('p', 'x'), want: ['ok', 'ok', 'ok', 'ok'] },
    { name: 'affinity to db: zone a only', pod: pod('p', 'x', aff('db')), want: ['ok', 'ok', ERR_AFFINITY, ERR_AFFINITY] },
    { name: 'affinity by hostname', pod: pod('p', 'x', aff('db', 'kubernetes.io/hostname')), want: ['ok', ERR_AFFINITY, ERR_AFFINITY, ERR_AFFINITY] },
    { name: 'first of a self-affine group', pod: pod('p', 'solo', aff('solo')), want: ['ok', 'ok', 'ok', ERR_AFFINITY] },
    { name: 'affinity to nothing, not self', pod: pod('p', 'x', aff('none')), want: [ERR_AFFINITY, ERR_AFFINITY, ERR_AFFINITY, ERR_AFFINITY] },
    { name: 'anti-affinity to db', pod: pod('p', 'x', anti('db')), want: [ERR_ANTI_AFFINITY, ERR_ANTI_AFFINITY, 'ok', 'ok'] },
    { name: "existing pod's anti-affinity", pod: pod('p', 'cache'), want: ['ok', 'ok', ERR_EXISTING_ANTI_AFFINITY, 'ok'] },
    { name: 'other namespace not selected', pod: pod('p', 'x', aff('db'), 'other'), want: [ERR_AFFINITY, ERR_AFFINITY, ERR_AFFINITY, ERR_AFFINITY] },
  ];
  for (const r of rows) assert.deepEqual(run(r.pod), r.want, r.name);
});

test('InterPodAffinity score: preferred terms by topology, normalized min..max', () => {
  const pref = (app: string, weight: number, key = 'zone') => [{ weight, podAffinityTerm: term(app, key) }];
  const rows: { name: string; affinity: Affinity; want: number[] }[] = [
    // zone a +50 → n1, n2 = 50; n3, n4 = 0 → [100, 100, 0, 0]
    { name: 'prefer near db', affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: pref('db', 50) } }, want: [100, 100, 0, 0] },
    // zone a -50 → [-50, -50, 0, 0] → (s+50)*100/50 → [0, 0, 100, 100]
    { name: 'avoid db', affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: pref('db', 50) } }, want: [0, 0, 100, 100] },
    // hostname n1 +10, zone b -40 → [10, 0, -40, 0] → min -40, max 10 → [100, 80, 0, 80]
    {
      name: 'mixed',
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: pref('db', 10, 'kubernetes.io/hostname') },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: pref('web', 40) },
      },
      want: [100, 80, 0, 80],
    },
  ];
  for (const r of rows) {
    const p = pod('p', 'x', r.affinity);
    const state = new CycleState();
    const ctx = { nodes: nodes() };
    plugin.preScore(state, p, ctx);
    const scores: NodeScore[] = ctx.nodes.map((ni) => ({ name: ni.node.metadata!.name!, score: plugin.score(state, p, ni) }));
    plugin.normalize(state, p, scores);
    assert.deepEqual(scores.map((s) => s.score), r.want, r.name);
  }
});
