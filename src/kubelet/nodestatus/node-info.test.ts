// Host readings and the capacity/allocatable arithmetic; plus the pure Node builders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { allocatableOf, capacityOf, formatBinaryQuantity, goArch, hugepageResourceName, parseMeminfo, parseOsRelease, readHostInfo, type HostInfo } from './node-info.js';
import { initialNode, nodeImages, nodeStatusFor, sameStatus } from './node-object.js';

test('formatBinaryQuantity: canonical BinarySI', () => {
  const cases: Array<[number, string]> = [[0, '0'], [1, '1'], [1024, '1Ki'], [1536, '1536'], [100 * 1024 * 1024, '100Mi'], [25276157952, '24683748Ki'], [2 ** 30, '1Gi'], [243497856615, '243497856615']];
  for (const [n, want] of cases) assert.equal(formatBinaryQuantity(n), want, String(n));
});

test('parsers: meminfo, os-release, hugepage names, GOARCH', () => {
  const m = parseMeminfo('MemTotal:       24683748 kB\nMemAvailable:   23493812 kB\nHugePages_Total:       0\n');
  assert.equal(m.get('MemTotal'), 24683748 * 1024);
  assert.equal(m.get('MemAvailable'), 23493812 * 1024);
  assert.equal(m.get('HugePages_Total'), 0);
  assert.equal(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(parseOsRelease('PRETTY_NAME=Alpine\n'), 'Alpine');
  assert.equal(parseOsRelease('NAME=x\n'), undefined);
  assert.equal(hugepageResourceName('hugepages-2048kB'), 'hugepages-2Mi');
  assert.equal(hugepageResourceName('hugepages-1048576kB'), 'hugepages-1Gi');
  assert.equal(hugepageResourceName('other'), undefined);
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
});

const info: HostInfo = {
  cpus: 2, memoryBytes: 24683748 * 1024, hugepages: { 'hugepages-2Mi': 0 }, ephemeralStorageBytes: 270553174016,
  kernelVersion: '6.1.0-18-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', machineID: 'm', systemUUID: 'm', bootID: 'b', architecture: 'amd64', operatingSystem: 'linux',
};

test('capacity and allocatable: minus the hard eviction thresholds and hugepages', () => {
  assert.deepEqual(capacityOf(info), { cpu: '2', 'ephemeral-storage': '264212084Ki', memory: '24683748Ki', pods: '110', 'hugepages-2Mi': '0' });
  assert.deepEqual(allocatableOf(info), { cpu: '2', 'ephemeral-storage': '243497856615', memory: '24581348Ki', pods: '110', 'hugepages-2Mi': '0' });
  const huge = allocatableOf({ ...info, hugepages: { 'hugepages-2Mi': 512 * 2 ** 20 } });
  assert.equal(huge.memory, '24057060Ki'); // 24683748Ki − 100Mi − 512Mi
  assert.equal(huge['hugepages-2Mi'], '512Mi');
});

test('readHostInfo reads this host', () => {
  const h = readHostInfo(tmpdir());
  assert.ok(h.cpus >= 1);
  assert.ok(h.memoryBytes > 64 * 2 ** 20);
  assert.ok(h.ephemeralStorageBytes > 0);
  assert.ok(h.kernelVersion.length > 0);
  assert.ok(h.osImage.length > 0);
  assert.match(h.bootID, /^[0-9a-f-]{36}$/);
  assert.equal(h.systemUUID.length > 0, h.machineID.length > 0);
  assert.ok('hugepages-2Mi' in h.hugepages);
});

test('initialNode, nodeStatusFor, images top 50 by size', () => {
  const id = { nodeName: 'n1', nodeIP: '10.0.0.5', hostname: 'host1', podCIDR: '10.42.0.0/24', kubeletPort: 10250, runtimeVersion: 'runc://1.1.5', kubeletVersion: 'v1.31.0', labels: { role: 'x' }, taints: [{ key: 'k', effect: 'NoSchedule' }] };
  const n = initialNode(id, info);
  assert.deepEqual(n.metadata?.labels, { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'host1', 'kubernetes.io/os': 'linux', role: 'x' });
  assert.deepEqual(n.spec, { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'], taints: [{ key: 'k', effect: 'NoSchedule' }] });
  const imgs = Array.from({ length: 60 }, (_, i) => ({ names: Array.from({ length: 7 }, (_, k) => `img${i}:${k}`), sizeBytes: (i % 7) * 1000 + i }));
  const out = nodeImages([...imgs, { names: [], sizeBytes: 10 ** 9 }]);
  assert.equal(out.length, 50);
  assert.equal(out[0]!.names?.length, 5);
  for (let i = 1; i < out.length; i++) assert.ok((out[i - 1]!.sizeBytes ?? 0) >= (out[i]!.sizeBytes ?? 0));
  const s = nodeStatusFor(id, info, [], out);
  assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'host1' }]);
  assert.deepEqual(s.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  assert.equal(s.nodeInfo?.containerRuntimeVersion, 'runc://1.1.5');
  // sameStatus: heartbeats and others' conditions/fields do not count
  const c = (type: string, hb: string) => ({ type, status: 'False', reason: 'r', message: 'm', lastHeartbeatTime: hb, lastTransitionTime: 't' });
  const mine = { ...s, conditions: [c('MemoryPressure', 'a')] };
  assert.ok(sameStatus({ ...mine, conditions: [c('NetworkUnavailable', 'z'), c('MemoryPressure', 'b')], capacity: { ...s.capacity!, 'example.com/gpu': '1' } }, mine));
  assert.ok(!sameStatus({ ...mine, conditions: [{ ...c('MemoryPressure', 'b'), status: 'True' }] }, mine));
  assert.ok(!sameStatus(undefined, mine));
});
