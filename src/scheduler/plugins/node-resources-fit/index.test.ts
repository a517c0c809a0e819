import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNodeResourcesFit, plugin } from './index.js';
import { CycleState } from '../../framework/types.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { container, makeNode, makePod } from '../../framework/testing.js';

const req = (r: Record<string, string>, name = 'p') => makePod(name, { containers: [container(r)] });

test('NodeResourcesFit filter', () => {
  const node = makeNode('n', { cpu: '2', memory: '4Gi', pods: '2', extra: { 'example.com/gpu': '1' } });
  const rows: { name: string; existing: ReturnType<typeof req>[]; pod: ReturnType<typeof req>; reasons: string[] }[] = [
    { name: 'fits', existing: [req({ cpu: '1' }, 'a')], pod: req({ cpu: '1', memory: '1Gi' }), reasons: [] },
    { name: 'cpu short', existing: [req({ cpu: '1500m' }, 'a')], pod: req({ cpu: '600m' }), reasons: ['Insufficient cpu'] },
    { name: 'cpu and memory short', existing: [], pod: req({ cpu: '3', memory: '5Gi' }), reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'too many pods', existing: [req({}, 'a'), req({}, 'b')], pod: req({}), reasons: ['Too many pods'] },
    { name: 'extended resource short', existing: [req({ 'example.com/gpu': '1' }, 'a')], pod: req({ 'example.com/gpu': '1' }), reasons: ['Insufficient example.com/gpu'] },
    { name: 'unknown extended resource', existing: [], pod: req({ 'example.com/fpga': '1' }), reasons: ['Insufficient example.com/fpga'] },
    {
      name: 'init container counts',
      existing: [],
      pod: makePod('p', { containers: [container({ cpu: '100m' })], initContainers: [container({ cpu: '2500m' })] }),
      reasons: ['Insufficient cpu'],
    },
  ];
  for (const r of rows) {
    const s = plugin.filter(new CycleState(), r.pod, newNodeInfo(node, r.existing));
    assert.equal(s.code, r.reasons.length ? 'Unschedulable' : 'Success', r.name);
    assert.deepEqual(s.reasons, r.reasons, r.name);
  }
});

test('NodeResourcesFit score: LeastAllocated and MostAllocated', () => {
  const node = makeNode('n', { cpu: '4', memory: '8Gi' });
  const most = makeNodeResourcesFit('MostAllocated');
  const rows: { name: string; existing: ReturnType<typeof req>[]; pod: ReturnType<typeof req>; least: number; most: number }[] = [
    // cpu (4000-1000)*100/4000 = 75, memory (8-2)*100/8 = 75 → 75; most: 25
    { name: 'quarter used', existing: [req({ cpu: '500m', memory: '1Gi' }, 'a')], pod: req({ cpu: '500m', memory: '1Gi' }), least: 75, most: 25 },
    // cpu 50, memory 100-(2Gi*100/8Gi)=75 → (50+75)/2 = 62 (integer division); most: (50+25)/2 = 37
    { name: 'uneven', existing: [], pod: req({ cpu: '2', memory: '2Gi' }), least: 62, most: 37 },
    // no requests: nonzero 100m / 200Mi → cpu 97 (3900*100/4000=97.5), memory (8192-200)*100/8192 = 97.5 → 97 ; most: 2, 2
    { name: 'zero-request pod uses defaults', existing: [], pod: req({}), least: 97, most: 2 },
    // over-committed cpu: least 0, most clamps to 100; memory: pod a counts the 200Mi default →
    // 2248Mi of 8192Mi → least 72, most 27 → (0+72)/2 = 36, (100+27)/2 = 63
    { name: 'over-committed', existing: [req({ cpu: '4' }, 'a')], pod: req({ cpu: '1', memory: '2Gi' }), least: 36, most: 63 },
  ];
  for (const r of rows) {
    const ni = newNodeInfo(node, r.existing);
    assert.equal(plugin.score(new CycleState(), r.pod, ni), r.least, `${r.name} least`);
    assert.equal(most.score(new CycleState(), r.pod, ni), r.most, `${r.name} most`);
  }
});
