import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage, preemptionNotHelpfulMsg } from './failure-message.js';
import { unschedulable, type Status } from './types.js';

const taint = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const st = (...reasons: string[]): Status => unschedulable('X', ...reasons);

test('fitErrorMessage matches upstream FitError.Error()', () => {
  const rows: { name: string; n: number; statuses: [string, Status][]; pre?: string; post?: string; want: string }[] = [
    {
      name: 'issue example',
      n: 3,
      statuses: [['cp', st(taint)], ['w1', st('Insufficient cpu')], ['w2', st('Insufficient cpu')]],
      post: preemptionNotHelpfulMsg(3),
      want: `0/3 nodes are available: 1 ${taint}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..`,
    },
    {
      name: 'multiple reasons per node counted separately',
      n: 2,
      statuses: [['a', st('Insufficient cpu', 'Insufficient memory')], ['b', st('Insufficient memory')]],
      want: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    },
    {
      name: 'string sort: 10 before 2',
      n: 12,
      statuses: [
        ...Array.from({ length: 10 }, (_, i): [string, Status] => [`z${i}`, st('node(s) were unschedulable')]),
        ['a', st('Insufficient cpu')],
        ['b', st('Insufficient cpu')],
      ],
      want: '0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu.',
    },
    { name: 'prefilter replaces histogram', n: 2, statuses: [['a', st('ignored')]], pre: "node(s) didn't satisfy plugin(s) [X]", want: "0/2 nodes are available: node(s) didn't satisfy plugin(s) [X]." },
    { name: 'no nodes', n: 0, statuses: [], want: '0/0 nodes are available:' },
  ];
  for (const r of rows) {
    const got = fitErrorMessage({ numAllNodes: r.n, nodeStatuses: new Map(r.statuses), preFilterMsg: r.pre, postFilterMsg: r.post });
    assert.equal(got, r.want, r.name);
  }
});
