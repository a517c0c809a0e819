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
