import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FILTERS, filterPlugins, newRegistry, scorePlugins } from './registry.js';
import { CycleState, type Status } from './types.js';
import { newNodeInfo } from './node-info.js';
import { container, makeNode, makePod } from './testing.js';
import { fitErrorMessage, preemptionNotHelpfulMsg } from './failure-message.js';

test('registry holds upstream plugin names; default filters and scores resolve', () => {
  const reg = newRegistry();
  for (const n of [...DEFAULT_FILTERS, 'NodeResourcesBalancedAllocation']) assert.ok(reg.has(n), n);
  assert.deepEqual(filterPlugins(reg).map((p) => p.name), DEFAULT_FILTERS);
  assert.deepEqual(scorePlugins(reg).map((e) => [e.plugin.name, e.weight]), [
    ['TaintToleration', 3],
    ['NodeAffinity', 2],
    ['NodeResourcesFit', 1],
    ['PodTopologySpread', 2],
    ['InterPodAffinity', 2],
    ['NodeResourcesBalancedAllocation', 1],
  ]);
});

test('running the default filters gives the issue example message', () => {
  const nodes = [
    makeNode('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    makeNode('w1', { cpu: '1' }),
    makeNode('w2', { cpu: '1' }),
  ];
  const pod = makePod('big', { containers: [container({ cpu: '2' })] });
  const filters = filterPlugins(newRegistry());
  const statuses = new Map<string, Status>();
  const infos = nodes.map((n) => newNodeInfo(n));
  const state = new CycleState();
  for (const f of filters) f.preFilter?.(state, pod, { nodes: infos });
  for (const ni of infos) {
    const n = ni.node;
    const failed = filters.map((f) => f.filter(state, pod, ni)).find((s) => s.code !== 'Success');
    if (failed) statuses.set(n.metadata!.name!, failed);
  }
  assert.equal(
    fitErrorMessage({ numAllNodes: 3, nodeStatuses: statuses, postFilterMsg: preemptionNotHelpfulMsg(3) }),
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
  );
});
