import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balancedScore, plugin } from './index.js';
import { CycleState } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { container, makeNode, makePod } from '../../framework/testing.js';

const req = (r: Record<string, string>, name = 'p') => makePod(name, { containers: [container(r)] });

test('NodeResourcesBalancedAllocation score', () => {
  const node = makeNode('n', { cpu: '4', memory: '8Gi', extra: { 'example.com/gpu': '4' } });
  const rows: { name: string; existing: ReturnType<typeof req>[]; pod: ReturnType<typeof req>; want: number; three?: boolean }[] = [
    { name: 'balanced', existing: [req({ cpu: '1', memory: '2Gi' }, 'a')], pod: req({ cpu: '1', memory: '2Gi' }), want: 100 },
    { name: '.75 vs .25', existing: [req({ cpu: '2', memory: '1Gi' }, 'a')], pod: req({ cpu: '1', memory: '1Gi' }), want: 75 },
    { name: 'capped at 1', existing: [req({ cpu: '8' }, 'a')], pod: req({ cpu: '1', memory: '0' }), want: 51 }, // cpu capped at 1; memory 200Mi default of pod a / 8Gi = .024 → std .488 → 51
    // three resources: cpu .5, memory .5, gpu 1 → mean 2/3, std = sqrt((1/36+1/36+4/36)/3) = .2357 → 76
    { name: 'three resources', existing: [], pod: req({ cpu: '2', memory: '4Gi', 'example.com/gpu': '4' }), want: 76, three: true },
  ];
  for (const r of rows) {
    const ni = newNodeInfo(node, r.existing);
    const got = r.three
      ? balancedScore(r.pod, ni, [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 1 }])
      : plugin.score(new CycleState(), r.pod, ni);
    assert.equal(got, r.want, r.name);
  }
});
