// NodeResourcesFit (upstream plugins/noderesources/fit.go). Filter: the pod's requests (init containers
// and overhead included, see podRequests) must fit in allocatable minus what pods already on the node
// (assumed ones too) request, and the pod count must stay within allocatable pods. Score: LeastAllocated
// (default: prefer emptier nodes) or MostAllocated (bin-packing), weighted over cpu and memory.
// Worked example, LeastAllocated: node 4000m / 8Gi with 1000m / 2Gi requested after adding the pod →
// cpu (4000-1000)*100/4000 = 75, memory (8-2)*100/8 = 75 → (75+75)/2 = 75. MostAllocated → 25.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { MAX_NODE_SCORE, success, unschedulable, type FilterPlugin, type NodeInfo, type ScorePlugin } from '../../framework/types.js';
import { podRequests } from '../../framework/node-info.js';
import { DEFAULT_RESOURCES, requestedAndAllocatable, type ResourceSpec } from './resources.js';

export const name = 'NodeResourcesFit';
export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

/** The reasons upstream's fitsRequest reports: `Too many pods`, `Insufficient <resource>` for each short one. */
export function insufficientResources(pod: Pod, ni: NodeInfo): string[] {
  const reasons: string[] = [];
  if (ni.pods.length + 1 > ni.allocatable.allowedPodNumber) reasons.push('Too many pods');
  const req = podRequests(pod);
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) reasons.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons.push('Insufficient memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const [rName, q] of Object.entries(req.scalar)) {
    if (q === 0) continue;
    if (q > (alloc.scalar[rName] ?? 0) - (used.scalar[rName] ?? 0)) reasons.push(`Insufficient ${rName}`);
  }
  return reasons;
}

/** Upstream leastRequestedScore: free share × 100; over-committed → 0. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Upstream mostRequestedScore: used share × 100, clamped at 100 when over-committed. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

/** Weighted mean of per-resource scores; resources the node does not have are skipped, as upstream. */
export function resourceScore(pod: Pod, ni: NodeInfo, strategy: ScoringStrategy, resources: ResourceSpec[] = DEFAULT_RESOURCES): number {
  const f = strategy === 'MostAllocated' ? mostRequestedScore : leastRequestedScore;
  let total = 0;
  let weights = 0;
  for (const r of resources) {
    const [requested, allocatable] = requestedAndAllocatable(pod, ni, r.name);
    if (allocatable === 0) continue;
    total += f(requested, allocatable) * r.weight;
    weights += r.weight;
  }
  return weights === 0 ? 0 : Math.trunc(total / weights);
}

export function makeNodeResourcesFit(strategy: ScoringStrategy = 'LeastAllocated', resources: ResourceSpec[] = DEFAULT_RESOURCES) {
  return {
    name,
    filter(_state, pod, ni) {
      const reasons = insufficientResources(pod, ni);
      return reasons.length === 0 ? success(name) : unschedulable(name, ...reasons);
    },
    score: (_state, pod, ni) => resourceScore(pod, ni, strategy, resources),
  } satisfies FilterPlugin & ScorePlugin;
}

export const plugin = makeNodeResourcesFit();
