// NodeResourcesBalancedAllocation (upstream plugins/noderesources/balanced_allocation.go): prefer nodes
// whose cpu and memory would be used in similar proportions after placing the pod. Score =
// (1 - std(fractions)) × 100, each fraction requested/allocatable capped at 1; with two resources
// std = |f1 - f2| / 2. Worked example: node 4000m / 8Gi, 3000m and 2Gi requested → fractions .75 and .25
// → std .25 → score 75; equal fractions → 100.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { MAX_NODE_SCORE, type NodeInfo, type ScorePlugin } from '../../framework/types.js';
import { DEFAULT_RESOURCES, requestedAndAllocatable, type ResourceSpec } from '../node-resources-fit/resources.js';

export const name = 'NodeResourcesBalancedAllocation';

export function balancedScore(pod: Pod, ni: NodeInfo, resources: ResourceSpec[] = DEFAULT_RESOURCES): number {
  const fractions: number[] = [];
  for (const r of resources) {
    const [requested, allocatable] = requestedAndAllocatable(pod, ni, r.name);
    if (allocatable === 0) continue;
    fractions.push(Math.min(1, requested / allocatable));
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs(fractions[0]! - fractions[1]!) / 2;
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const plugin = {
  name,
  score: (_state, pod, ni) => balancedScore(pod, ni),
} satisfies ScorePlugin;
