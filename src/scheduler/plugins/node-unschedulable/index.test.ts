import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { plugin, ERR_REASON } from './index.js';
import { CycleState } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../framework/testing.js';

test('NodeUnschedulable filter', () => {
  const tol: Toleration = { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' };
  const rows: { name: string; unschedulable: boolean; tolerations?: Toleration[]; ok: boolean }[] = [
    { name: 'schedulable node', unschedulable: false, ok: true },
    { name: 'cordoned node', unschedulable: true, ok: false },
    { name: 'cordoned, tolerated', unschedulable: true, tolerations: [tol], ok: true },
    { name: 'cordoned, tolerate-everything', unschedulable: true, tolerations: [{ operator: 'Exists' }], ok: true },
    { name: 'cordoned, wrong effect', unschedulable: true, tolerations: [{ ...tol, effect: 'NoExecute' }], ok: false },
  ];
  for (const r of rows) {
    const s = plugin.filter(new CycleState(), makePod('p', { tolerations: r.tolerations }), newNodeInfo(makeNode('n', { unschedulable: r.unschedulable })));
    assert.equal(s.code, r.ok ? 'Success' : 'UnschedulableAndUnresolvable', r.name);
    if (!r.ok) assert.deepEqual(s.reasons, [ERR_REASON]);
  }
});
