// The RollingUpdate arithmetic of a DaemonSet (upstream pkg/controller/daemon/update.go rollingUpdate,
// findUpdatedPodsOnNode, updatedDesiredNodeCounts and util.UnavailableCount/SurgeCount) as a pure
// plan: which old pods to delete and on which nodes to create new pods now. Without surge, old pods
// are deleted while fewer than maxUnavailable nodes are unavailable and the manage loop recreates
// them; with surge, a new pod is created beside an old one (up to maxSurge at a time) and the old
// one is deleted once the new one is available.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isPodAvailable } from '../shared/pods.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const HASH_LABEL = 'controller-revision-hash';

/** Upstream GetTemplateGeneration: the annotation the API server keeps, undefined if absent/bad. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  const v = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? v : undefined;
}

/** Upstream IsPodUpdated: the pod carries the current hash or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (!!hash && labels[HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation);
}

/** intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true). */
export function scaledValue(v: number | string | undefined, total: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : fallback;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** maxSurge, maxUnavailable for `desired` nodes; both 0 falls back to maxUnavailable 1 as upstream. */
export function updateLimits(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, desired, 0);
  let maxUnavailable = scaledValue(ru?.maxUnavailable, desired, 1);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** The one new and one old live pod on a node; ok=false when there are several of either. */
export function findUpdatedPodsOnNode(pods: readonly Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

export interface RollingPlan {
  podsToDelete: string[];
  nodesToCreate: string[];
}

/** Upstream rollingUpdate; nodeToDaemonPods holds every node with daemon pods. */
export function planRollingUpdate(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>, hash: string, nowMs: number): RollingPlan {
  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  const pods = new Map(nodeToDaemonPods);
  let desired = 0;
  for (const n of nodes) {
    if (!nodeShouldRunDaemonPod(n, ds).shouldRun) continue;
    desired++;
    if (!pods.has(n.metadata?.name ?? '')) pods.set(n.metadata?.name ?? '', []);
  }
  const { maxSurge, maxUnavailable } = updateLimits(ds, desired);
  const gen = templateGeneration(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const shouldRun = (nodeName: string) => {
    const n = byName.get(nodeName);
    return !!n && nodeShouldRunDaemonPod(n, ds).shouldRun;
  };

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const nodePods of pods.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(nodePods, hash, gen);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++; // the manage loop creates or prunes here; count it unavailable
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) replacements.push(oldPod.metadata?.name ?? '');
        else if (numUnavailable < maxUnavailable) candidates.push(oldPod.metadata?.name ?? '');
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { podsToDelete: [...replacements, ...candidates.slice(0, remaining)], nodesToCreate: [] };
  }

  const podsToDelete: string[] = [];
  const shouldNotRunToDelete: string[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, nodePods] of pods) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(nodePods, hash, gen);
    if (!ok) {
      numSurge++; // the manage loop prunes this node; treat it as surging
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue; // nothing to replace; the manage loop creates if missing
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) podsToDelete.push(oldPod.metadata?.name ?? '');
        else allowedNodes.push(nodeName); // an unavailable old pod is replaced at once
      } else if (!shouldRun(nodeName)) {
        shouldNotRunToDelete.push(oldPod.metadata?.name ?? '');
      } else if (numSurge < maxSurge) {
        candidateNodes.push(nodeName);
      }
      continue;
    }
    // Already surged here: once the new pod is available the old one goes.
    if (!available(newPod)) numSurge++;
    else podsToDelete.push(oldPod.metadata?.name ?? '');
  }
  // Pods on nodes that no longer qualify go only while availability stays above desired.
  const deletable = Math.min(numAvailable - desired, shouldNotRunToDelete.length);
  if (deletable > 0) podsToDelete.push(...shouldNotRunToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNodes.length);
  return { podsToDelete, nodesToCreate: [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)] };
}
