import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newNodeInfo, podRequests, podHostPorts } from './node-info.js';
import { container, makeNode, makePod } from './testing.js';

const MI = 1024 * 1024;

test('podRequests: max(sum of containers, init phase) + overhead', () => {
  const rows: { name: string; spec: Parameters<typeof makePod>[1]; nonZero?: boolean; cpu: number; mem: number }[] = [
    { name: 'containers summed', spec: { containers: [container({ cpu: '200m' }), container({ cpu: '300m', memory: '1Mi' })] }, cpu: 500, mem: MI },
    {
      name: 'largest init wins',
      spec: { containers: [container({ cpu: '200m' }), container({ cpu: '300m' })], initContainers: [container({ cpu: '800m' }), container({ cpu: '100m' })] },
      cpu: 800,
      mem: 0,
    },
    { name: 'overhead added', spec: { containers: [container({ cpu: '500m' })], initContainers: [container({ cpu: '800m' })], overhead: { cpu: '50m' } }, cpu: 850, mem: 0 },
    {
      name: 'sidecar adds to containers and later init',
      spec: { containers: [container({ cpu: '100m' })], initContainers: [container({ cpu: '200m' }, { restartPolicy: 'Always' }), container({ cpu: '250m' })] },
      cpu: 450, // init phase: 200m sidecar + 250m = 450m > 100m + 200m
      mem: 0,
    },
    { name: 'no requests', spec: { containers: [container()] }, cpu: 0, mem: 0 },
    { name: 'nonZero defaults', spec: { containers: [container(), container({ cpu: '1' })] }, nonZero: true, cpu: 1100, mem: 400 * MI },
  ];
  for (const r of rows) {
    const got = podRequests(makePod('p', r.spec), { nonZero: r.nonZero });
    assert.equal(got.milliCPU, r.cpu, r.name);
    assert.equal(got.memory, r.mem, r.name);
  }
});

test('newNodeInfo aggregates pods, ports and allocatable', () => {
  const p1 = makePod('a', { containers: [container({ cpu: '1', 'example.com/gpu': '1' }, { ports: [{ containerPort: 80, hostPort: 8080 }] })] });
  const p2 = makePod('b', { containers: [container()] });
  const ni = newNodeInfo(makeNode('n1', { cpu: '4', memory: '1Gi', extra: { 'example.com/gpu': '2' } }), [p1, p2]);
  assert.equal(ni.pods.length, 2);
  assert.equal(ni.allocatable.milliCPU, 4000);
  assert.equal(ni.allocatable.memory, 1024 * MI);
  assert.equal(ni.allocatable.allowedPodNumber, 110);
  assert.equal(ni.allocatable.scalar['example.com/gpu'], 2);
  assert.equal(ni.requested.milliCPU, 1000);
  assert.equal(ni.requested.scalar['example.com/gpu'], 1);
  assert.equal(ni.nonZeroRequested.milliCPU, 1100);
  assert.equal(ni.nonZeroRequested.memory, 400 * MI);
  assert.deepEqual(ni.usedPorts, [{ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }]);
  assert.deepEqual(podHostPorts(p2), []);
});
