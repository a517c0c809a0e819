// Per-resource requested/allocatable figures for scoring, shared by NodeResourcesFit and
// NodeResourcesBalancedAllocation. As upstream, CPU and memory use the NonZeroRequested totals (a pod
// with no requests still counts 100m / 200Mi), other resources the real requests; the pod being
// scheduled is included.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo, Resource } from '../../framework/types.js';
import { podRequests } from '../../framework/node-info.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export function amount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu':
      return r.milliCPU;
    case 'memory':
      return r.memory;
    case 'ephemeral-storage':
      return r.ephemeralStorage;
    case 'pods':
      return r.allowedPodNumber;
    default:
      return r.scalar[name] ?? 0;
  }
}

/** [requested incl. this pod, allocatable] for one resource. */
export function requestedAndAllocatable(pod: Pod, ni: NodeInfo, name: string): [number, number] {
  const nonZero = name === 'cpu' || name === 'memory';
  const podReq = amount(podRequests(pod, { nonZero }), name);
  const nodeReq = amount(nonZero ? ni.nonZeroRequested : ni.requested, name);
  return [nodeReq + podReq, amount(ni.allocatable, name)];
}
