// Table tests for cgroup settings and oom_score_adj.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { containerOOMScoreAdjust, containerResources, milliCPUToQuota, milliCPUToShares } from './resources.js';

const GI = 1024 ** 3;

test('milliCPUToShares / milliCPUToQuota', () => {
  const shares: Array<[number, number]> = [[0, 2], [1, 2], [2, 2], [3, 3], [250, 256], [1000, 1024], [2000, 2048], [1e6, 262144]];
  for (const [m, want] of shares) assert.equal(milliCPUToShares(m), want, `shares ${m}`);
  const quota: Array<[number, number]> = [[0, 0], [5, 1000], [10, 1000], [11, 1100], [500, 50000], [1500, 150000]];
  for (const [m, want] of quota) assert.equal(milliCPUToQuota(m), want, `quota ${m}`);
});

test('containerResources', () => {
  const cases: Array<[Container['resources'], object]> = [
    [undefined, { cpuShares: 2, oomScoreAdj: 1000 }],
    [{ requests: { cpu: '250m', memory: '1Gi' } }, { cpuShares: 256, oomScoreAdj: 875 }], // 8Gi node
    [{ limits: { cpu: '500m', memory: '128Mi' } }, { cpuShares: 512, cpuQuotaUs: 50000, cpuPeriodUs: 100000, memoryLimitBytes: 128 * 1024 * 1024, oomScoreAdj: 0 }],
    [{ requests: { cpu: '100m' }, limits: { cpu: '2' } }, { cpuShares: 102, cpuQuotaUs: 200000, cpuPeriodUs: 100000, oomScoreAdj: 999 }],
  ];
  for (const [resources, want] of cases) {
    const c: Container = { name: 'c', resources };
    const pod: Pod = { spec: { containers: [c] } };
    assert.deepEqual(containerResources(pod, c, { memoryCapacityBytes: 8 * GI }), want, JSON.stringify(resources));
  }
  const c: Container = { name: 'c' };
  assert.equal(containerResources({ spec: { containers: [c] } }, c, { memoryCapacityBytes: GI, pidsLimit: 100 }).pidsLimit, 100);
});

test('oom_score_adj: burstable bounds, node-critical, never negative', () => {
  const burst = (mem: string): Container => ({ name: 'c', resources: { requests: { memory: mem } } });
  const p = (c: Container, priority?: number): Pod => ({ spec: { containers: [c], priority } });
  assert.equal(containerOOMScoreAdjust(p(burst('8Gi')), burst('8Gi'), 8 * GI), 3); // 1000 - 1000 = 0 → 3
  assert.equal(containerOOMScoreAdjust(p(burst('1')), burst('1'), 8 * GI), 999);
  assert.equal(containerOOMScoreAdjust(p(burst('800Mi')), burst('800Mi'), 8 * GI), 903);
  assert.equal(containerOOMScoreAdjust(p({ name: 'c' }, 2000001000), { name: 'c' }, 8 * GI), 0);
});
