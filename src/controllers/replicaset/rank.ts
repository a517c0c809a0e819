// Which surplus pods a ReplicaSet deletes first (upstream pkg/controller/controller_utils.go
// ActivePodsWithRanks and replica_set.go getPodsToDelete/getPodsRankedByRelatedPodsOnSameNode).
// The order: unassigned before assigned; Pending < Unknown < Running; not ready before ready; lower
// controller.kubernetes.io/pod-deletion-cost first; pods doubled up on a node with other related
// pods first; ready for a shorter time first; more restarts first; newer first. Times compare by
// log2 buckets of age (LogarithmicScaleDown, on by default upstream) with ties broken by UID, so
// a scale-down does not always pick the very newest pod.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive, isPodReady, podCondition } from '../shared/pods.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const phaseOrdinal = (p: Pod) => PHASE_ORDINAL[p.status?.phase ?? ''] ?? 0;

function deletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

function readyTime(p: Pod): number | undefined {
  const c = podCondition(p, 'Ready');
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

function creationTime(p: Pod): number | undefined {
  const t = Date.parse(p.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? undefined : t;
}

const maxRestarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));

/** floor(log2(age in ns)), -1 for no age; upstream logarithmicRankDiff works in nanoseconds. */
function logRank(t: number, nowMs: number): number {
  const d = (nowMs - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/**
 * Negative when `a` should be deleted before `b`: a newer time (or none) goes first. Upstream
 * afterOrZero without logarithmic buckets; with them, the same bucket falls back to UID order.
 */
function compareTimes(a: Pod, b: Pod, ta: number | undefined, tb: number | undefined, nowMs: number): number {
  if (ta === tb) return 0;
  if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
  const diff = logRank(ta, nowMs) - logRank(tb, nowMs);
  if (diff === 0) {
    const ua = a.metadata?.uid ?? '';
    const ub = b.metadata?.uid ?? '';
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  }
  return diff;
}

export interface RankedPod {
  pod: Pod;
  /** Active related pods on the same node (including this one): higher means more doubled up. */
  rank: number;
}

/** Upstream ActivePodsWithRanks.Less as a comparator: negative when `a` goes first. */
export function compareRankedForDeletion(a: RankedPod, b: RankedPod, nowMs: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na ? -1 : 1;
  if (phaseOrdinal(pa) !== phaseOrdinal(pb)) return phaseOrdinal(pa) - phaseOrdinal(pb);
  if (isPodReady(pa) !== isPodReady(pb)) return isPodReady(pa) ? 1 : -1;
  if (deletionCost(pa) !== deletionCost(pb)) return deletionCost(pa) - deletionCost(pb);
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (isPodReady(pa) && isPodReady(pb)) {
    const c = compareTimes(pa, pb, readyTime(pa), readyTime(pb), nowMs);
    if (c !== 0) return c;
  }
  if (maxRestarts(pa) !== maxRestarts(pb)) return maxRestarts(pb) - maxRestarts(pa);
  return compareTimes(pa, pb, creationTime(pa), creationTime(pb), nowMs);
}

/**
 * The `diff` pods to delete out of `pods` (upstream getPodsToDelete). `related` are the pods of
 * every ReplicaSet under the same controller (a Deployment's old and new ReplicaSets), used to
 * prefer pods that share a node with their siblings.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareRankedForDeletion(a, b, nowMs));
  return ranked.slice(0, diff).map((r) => r.pod);
}
