// Integration: the scoring strategy from a KubeSchedulerConfiguration changes placement. With
// MostAllocated (bin-packing) bare pods pile onto one simulated node; with the default LeastAllocated
// they spread over all three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startTestCluster, eventually, ref } from './cluster.js';
import { parseSchedulerConfig } from '../../src/scheduler/config.js';

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'img', resources: { requests: { cpu: '8', memory: '64Gi' } } }] },
});

async function placements(config: string): Promise<Set<string>> {
  const c = await startTestCluster({ nodes: 3, scheduler: parseSchedulerConfig(config) });
  try {
    for (let i = 0; i < 3; i++) {
      await c.client.create(ref('', 'v1', 'pods', 'default'), pod(`p${i}`));
      // One at a time, so each decision sees the previous pod on its node.
      await eventually(async () => (await c.client.get<Pod>(ref('', 'v1', 'pods', 'default', `p${i}`))).spec?.nodeName, `p${i} bound`);
    }
    const pods = await c.client.list<Pod>(ref('', 'v1', 'pods', 'default'));
    return new Set(pods.items.map((p) => p.spec?.nodeName ?? ''));
  } finally {
    await c.close();
  }
}

const head = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';

test('scheduler config: MostAllocated packs pods onto one node, LeastAllocated spreads them', async () => {
  const packed = await placements(`${head}profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: MostAllocated}}\n`);
  assert.equal(packed.size, 1, `MostAllocated used ${[...packed].join(', ')}`);
  const spread = await placements(head);
  assert.equal(spread.size, 3, `LeastAllocated used ${[...spread].join(', ')}`);
});
