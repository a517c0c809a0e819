// Container requests/limits → the runtime's cgroup settings, as upstream kuberuntime
// calculateLinuxResources and pkg/kubelet/qos/policy.go. Worked numbers: requests.cpu 250m →
// shares 250*1024/1000 = 256; limits.cpu 500m → quota 500*100000/1000 = 50000 µs per 100000 µs;
// limits.cpu 5m → 500 µs, raised to the 1000 µs minimum.
//
// oom_score_adj: upstream gives Guaranteed -997, BestEffort 1000, Burstable 1000 - 1000*request/capacity
// clamped to [3, 999]. A negative value needs CAP_SYS_RESOURCE, which this machine lacks (SUBSTRATE.md),
// so every value is clamped to ≥ 0: Guaranteed (and node-critical) pods get 0 — still below any
// Burstable (≥ 3) and BestEffort (1000), so the kill order is upstream's.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerResources } from '../runtime/types.js';
import { parseQuantityJson } from '../../machinery/quantity.js';
import { getPodQOSClass } from './qos.js';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
export const QUOTA_PERIOD_US = 100000;
export const MIN_QUOTA_US = 1000;
/** system-node-critical priority and above (upstream IsNodeCriticalPod). */
const NODE_CRITICAL_PRIORITY = 2000001000;

export function milliCPUToShares(milli: number): number {
  if (milli === 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milli * 1024) / 1000)));
}

export function milliCPUToQuota(milli: number, periodUs = QUOTA_PERIOD_US): number {
  if (milli === 0) return 0;
  return Math.max(MIN_QUOTA_US, Math.floor((milli * periodUs) / 1000));
}

function q(v: unknown) {
  return v === undefined || v === null || v === '' ? undefined : parseQuantityJson(v);
}

export function containerResources(pod: Pod, container: Container, opts: { memoryCapacityBytes: number; pidsLimit?: number }): ContainerResources {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const cpuLimit = q(limits.cpu);
  // Upstream: a missing cpu request defaults to the limit (for pods predating API defaulting).
  const cpuRequest = q(requests.cpu) ?? cpuLimit;
  const out: ContainerResources = { cpuShares: milliCPUToShares(cpuRequest?.milliValue() ?? 0) };
  const quota = milliCPUToQuota(cpuLimit?.milliValue() ?? 0);
  if (quota > 0) {
    out.cpuQuotaUs = quota;
    out.cpuPeriodUs = QUOTA_PERIOD_US;
  }
  const mem = q(limits.memory)?.value() ?? 0;
  if (mem > 0) out.memoryLimitBytes = mem;
  if (opts.pidsLimit !== undefined && opts.pidsLimit > 0) out.pidsLimit = opts.pidsLimit;
  out.oomScoreAdj = containerOOMScoreAdjust(pod, container, opts.memoryCapacityBytes);
  return out;
}

/** Upstream GetContainerOOMScoreAdjust with the ≥ 0 clamp explained in the header. */
export function containerOOMScoreAdjust(pod: Pod, container: Container, memoryCapacityBytes: number): number {
  if ((pod.spec?.priority ?? 0) >= NODE_CRITICAL_PRIORITY) return 0;
  const qos = getPodQOSClass(pod);
  if (qos === 'Guaranteed') return 0;
  if (qos === 'BestEffort') return 1000;
  const request = q(container.resources?.requests?.memory)?.value() ?? 0;
  const capacity = Math.max(1, memoryCapacityBytes);
  const adj = 1000 - Math.floor((1000 * request) / capacity);
  if (adj < 3) return 3;
  if (adj === 1000) return 999;
  return adj;
}
