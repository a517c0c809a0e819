import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plugin, ERR_REASON } from './index.js';
import { CycleState } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../framework/testing.js';

test('NodeName filter', () => {
  const rows = [
    { name: 'no nodeName', nodeName: undefined, node: 'n1', code: 'Success' },
    { name: 'same node', nodeName: 'n1', node: 'n1', code: 'Success' },
    { name: 'other node', nodeName: 'n2', node: 'n1', code: 'UnschedulableAndUnresolvable', reason: ERR_REASON },
  ];
  for (const r of rows) {
    const s = plugin.filter(new CycleState(), makePod('p', { nodeName: r.nodeName }), newNodeInfo(makeNode(r.node)));
    assert.equal(s.code, r.code, r.name);
    assert.deepEqual(s.reasons, r.reason ? [r.reason] : [], r.name);
  }
});
