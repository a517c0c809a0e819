// Topology spread constraints as upstream plugins/podtopologyspread/common.go: the pod's constraints
// for one whenUnsatisfiable mode, with matchLabelKeys folded into the selector, plus the helpers that
// decide which nodes count (nodeAffinityPolicy Honor by default, nodeTaintsPolicy Ignore by default)
// and how many pods of a node match.
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { newRequirement, selectorFromLabelSelector, Selector } from '../../../machinery/labels.js';
import { matchesRequired } from '../node-affinity/index.js';
import { findUntoleratedTaint } from '../taint-toleration/tolerations.js';

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

export function constraintsFor(pod: Pod, mode: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const labels = pod.metadata?.labels ?? {};
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c: TopologySpreadConstraint) => c.whenUnsatisfiable === mode)
    .map((c) => {
      let selector = selectorFromLabelSelector(c.labelSelector);
      const extra = (c.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => newRequirement(k, 'In', [labels[k]!]));
      if (extra.length > 0) selector = new Selector([...selector.requirements, ...extra], selector.isNothing());
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector,
        minDomains: c.minDomains ?? 1,
        honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
      };
    });
}

/** Upstream's system default constraints (PodTopologySpreadArgs defaultingType System). */
const SYSTEM_DEFAULTS: { maxSkew: number; topologyKey: string }[] = [
  { maxSkew: 3, topologyKey: LABEL_HOSTNAME },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone' },
];
/** Labels that differ between pods of one controller and are not in its selector. */
const PER_POD_LABELS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-revision-hash'];
const SPREAD_OWNERS = new Set(['ReplicaSet', 'ReplicationController', 'StatefulSet']);

/**
 * ScheduleAnyway constraints for scoring: the pod's own, or — when it has none of either kind — the
 * system defaults, spreading the pods of the pod's controller. Upstream selects them with the selectors
 * of the Services, ReplicationControllers, ReplicaSets and StatefulSets matching the pod; Skiff uses the
 * controller's pods' shared labels (a ReplicaSet's selector is its pods' labels with pod-template-hash),
 * so a pod without a ReplicaSet/ReplicationController/StatefulSet owner is not default-spread.
 */
export function scoringConstraints(pod: Pod): Constraint[] {
  if ((pod.spec?.topologySpreadConstraints ?? []).length > 0) return constraintsFor(pod, 'ScheduleAnyway');
  const owner = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (!owner || !SPREAD_OWNERS.has(owner.kind)) return [];
  const labels = Object.fromEntries(Object.entries(pod.metadata?.labels ?? {}).filter(([k]) => !PER_POD_LABELS.includes(k)));
  if (Object.keys(labels).length === 0) return [];
  const selector = new Selector(Object.entries(labels).map(([k, v]) => newRequirement(k, '=', [v])));
  return SYSTEM_DEFAULTS.map((d) => ({ ...d, selector, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false }));
}

/** Whether a node's pods count towards the constraint's domains. */
export function nodeCounts(pod: Pod, node: Node, c: Constraint): boolean {
  if (c.honorNodeAffinity && !matchesRequired(pod, node)) return false;
  if (c.honorNodeTaints) {
    const bad = findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (bad) return false;
  }
  return true;
}

export const hasAllKeys = (node: Node, cs: Constraint[]) => cs.every((c) => c.topologyKey in (node.metadata?.labels ?? {}));

/** Pods in `namespace`, not terminating, selected by the constraint. */
export function countMatching(pods: Pod[], c: Constraint, namespace: string): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp || (p.metadata?.namespace ?? 'default') !== namespace) continue;
    if (c.selector.matches(p.metadata?.labels)) n++;
  }
  return n;
}
