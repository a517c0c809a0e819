import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { plugin } from './index.js';
import { CycleState, type NodeScore } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../framework/testing.js';

const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };
const soft: Taint = { key: 'soft', value: 'x', effect: 'PreferNoSchedule' };

test('TaintToleration filter', () => {
  const rows: { name: string; taints: Taint[]; tols?: Toleration[]; reason?: string }[] = [
    { name: 'no taints', taints: [] },
    { name: 'control plane', taints: [cp], reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
    { name: 'value shown', taints: [dedicated], reason: 'node(s) had untolerated taint {dedicated: gpu}' },
    { name: 'Exists toleration', taints: [cp], tols: [{ key: cp.key, operator: 'Exists' }] },
    { name: 'Equal needs value', taints: [dedicated], tols: [{ key: 'dedicated', value: 'cpu' }], reason: 'node(s) had untolerated taint {dedicated: gpu}' },
    { name: 'Equal value ok', taints: [dedicated], tols: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] },
    { name: 'PreferNoSchedule ignored by filter', taints: [soft] },
    { name: 'first untolerated named', taints: [cp, dedicated], tols: [{ key: cp.key, operator: 'Exists' }], reason: 'node(s) had untolerated taint {dedicated: gpu}' },
  ];
  for (const r of rows) {
    const s = plugin.filter(new CycleState(), makePod('p', { tolerations: r.tols }), newNodeInfo(makeNode('n', { taints: r.taints })));
    assert.equal(s.code, r.reason ? 'UnschedulableAndUnresolvable' : 'Success', r.name);
    assert.deepEqual(s.reasons, r.reason ? [r.reason] : [], r.name);
  }
});

test('TaintToleration score prefers fewer intolerable PreferNoSchedule taints', () => {
  const soft2: Taint = { key: 'soft2', effect: 'PreferNoSchedule' };
  const rows: { name: string; tols?: Toleration[]; want: number[] }[] = [
    // raw counts [0, 1, 2] → 100 - 100*c/2 → [100, 50, 0]
    { name: 'no tolerations', want: [100, 50, 0] },
    // raw [0, 0, 1] → [100, 100, 0]
    { name: 'tolerates soft', tols: [{ key: 'soft', operator: 'Exists', effect: 'PreferNoSchedule' }], want: [100, 100, 0] },
    { name: 'tolerates all', tols: [{ operator: 'Exists' }], want: [100, 100, 100] },
  ];
  const nodes = [makeNode('a'), makeNode('b', { taints: [soft] }), makeNode('c', { taints: [soft, soft2] })];
  for (const r of rows) {
    const pod = makePod('p', { tolerations: r.tols });
    const state = new CycleState();
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata!.name!, score: plugin.score(state, pod, newNodeInfo(n)) }));
    plugin.normalize(state, pod, scores);
    assert.deepEqual(scores.map((s) => s.score), r.want, r.name);
  }
});
