// Unit tests for simulated-node address arithmetic and the registered Node shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podCIDRFor, podIPFor, ipInCIDR, internalIPFor, nodeObject, nodeStatus, leaseObject, microTime } from './node-spec.js';

test('podCIDRFor: one /24 per node, carrying past 255 instead of wrapping', () => {
  const cases: Array<[number, string | undefined, string]> = [
    [0, undefined, '10.42.0.0/24'],
    [7, undefined, '10.42.7.0/24'],
    [255, undefined, '10.42.255.0/24'],
    [256, undefined, '10.43.0.0/24'],
    [4999, undefined, '10.61.135.0/24'],
    [1, '172.16.0.0/12', '172.16.1.0/24'],
  ];
  for (const [i, base, want] of cases) assert.equal(podCIDRFor(i, base), want, `${i} ${base}`);
  assert.throws(() => podCIDRFor(1, '255.255.255.0/24'), /cannot hold/);
  assert.throws(() => podCIDRFor(0, '10.300.0.0/16'), /invalid IPv4/);
});

test('podIPFor / ipInCIDR / internalIPFor', () => {
  assert.equal(podIPFor('10.42.3.0/24', 1), '10.42.3.2');
  assert.equal(podIPFor('10.42.3.0/24', 253), '10.42.3.254');
  assert.throws(() => podIPFor('10.42.3.0/24', 254));
  assert.ok(ipInCIDR('10.42.3.254', '10.42.3.0/24'));
  assert.ok(!ipInCIDR('10.42.4.1', '10.42.3.0/24'));
  assert.equal(internalIPFor(0), '198.18.0.1');
  assert.equal(internalIPFor(4999), '198.18.19.136');
  assert.ok(ipInCIDR(internalIPFor(100_000), '198.18.0.0/15'));
});

test('nodeObject / nodeStatus / leaseObject carry what the scheduler and node lifecycle read', () => {
  const p = { name: 'n-4', index: 4, zone: 'zone-b', podCIDR: '10.42.4.0/24' };
  const n = nodeObject(p);
  assert.equal(n.metadata?.labels?.['topology.kubernetes.io/zone'], 'zone-b');
  assert.equal(n.metadata?.labels?.['kubernetes.io/hostname'], 'n-4');
  assert.deepEqual(n.spec?.podCIDRs, ['10.42.4.0/24']);
  const s = nodeStatus(p, Date.UTC(2026, 0, 1));
  assert.equal(s.capacity?.cpu, '32');
  assert.equal(s.nodeInfo?.kubeletVersion, 'v1.31.0');
  assert.equal(s.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime, '2026-01-01T00:00:00Z');
  const l = leaseObject('n-4', 'uid-1', Date.UTC(2026, 0, 1, 0, 0, 0, 123));
  assert.equal(l.spec?.renewTime, '2026-01-01T00:00:00.123000Z');
  assert.equal(l.metadata?.ownerReferences?.[0]?.kind, 'Node');
  assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
});
