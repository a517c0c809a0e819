import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import { plugin, ERR_REASON } from './index.js';
import { CycleState, type NodeScore } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../framework/testing.js';

const node = makeNode('n1', { labels: { zone: 'a', cpus: '8', disk: 'ssd' } });
const required = (...terms: NodeSelectorTerm[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
const expr = (key: string, operator: string, values?: string[]): NodeSelectorTerm => ({ matchExpressions: [{ key, operator, values }] });

test('NodeAffinity filter', () => {
  const rows: { name: string; nodeSelector?: Record<string, string>; affinity?: ReturnType<typeof required>; ok: boolean }[] = [
    { name: 'nothing asked', ok: true },
    { name: 'nodeSelector match', nodeSelector: { zone: 'a' }, ok: true },
    { name: 'nodeSelector mismatch', nodeSelector: { zone: 'b' }, ok: false },
    { name: 'In', affinity: required(expr('zone', 'In', ['a', 'b'])), ok: true },
    { name: 'NotIn', affinity: required(expr('zone', 'NotIn', ['a'])), ok: false },
    { name: 'NotIn absent key', affinity: required(expr('gpu', 'NotIn', ['x'])), ok: true },
    { name: 'Exists', affinity: required(expr('disk', 'Exists')), ok: true },
    { name: 'DoesNotExist', affinity: required(expr('disk', 'DoesNotExist')), ok: false },
    { name: 'Gt', affinity: required(expr('cpus', 'Gt', ['4'])), ok: true },
    { name: 'Lt', affinity: required(expr('cpus', 'Lt', ['4'])), ok: false },
    { name: 'Gt non-integer', affinity: required(expr('zone', 'Gt', ['1'])), ok: false },
    { name: 'terms ORed', affinity: required(expr('zone', 'In', ['b']), expr('disk', 'In', ['ssd'])), ok: true },
    { name: 'empty term matches nothing', affinity: required({}), ok: false },
    { name: 'matchFields name', affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }), ok: true },
    { name: 'matchFields other name', affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }), ok: false },
    { name: 'selector and affinity both needed', nodeSelector: { zone: 'b' }, affinity: required(expr('zone', 'In', ['a'])), ok: false },
  ];
  for (const r of rows) {
    const s = plugin.filter(new CycleState(), makePod('p', { nodeSelector: r.nodeSelector, affinity: r.affinity }), newNodeInfo(node));
    assert.equal(s.code, r.ok ? 'Success' : 'UnschedulableAndUnresolvable', r.name);
    assert.deepEqual(s.reasons, r.ok ? [] : [ERR_REASON], r.name);
  }
});

test('NodeAffinity score: preferred weights, normalized to 100', () => {
  const pref = (weight: number, term: NodeSelectorTerm): PreferredSchedulingTerm => ({ weight, preference: term });
  const nodes = [makeNode('a', { labels: { zone: 'a', disk: 'ssd' } }), makeNode('b', { labels: { disk: 'ssd' } }), makeNode('c')];
  const rows: { name: string; terms: PreferredSchedulingTerm[]; want: number[] }[] = [
    { name: 'weights 80+20', terms: [pref(80, expr('zone', 'In', ['a'])), pref(20, expr('disk', 'In', ['ssd']))], want: [100, 20, 0] },
    // raw [10, 0, 0] → normalized by max 10 → [100, 0, 0]
    { name: 'single term', terms: [pref(10, expr('zone', 'Exists'))], want: [100, 0, 0] },
    { name: 'none', terms: [], want: [0, 0, 0] },
  ];
  for (const r of rows) {
    const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: r.terms } } });
    const state = new CycleState();
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata!.name!, score: plugin.score(state, pod, newNodeInfo(n)) }));
    plugin.normalize(state, pod, scores);
    assert.deepEqual(scores.map((s) => s.score), r.want, r.name);
  }
});
