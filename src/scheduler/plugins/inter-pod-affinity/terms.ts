// Pod affinity terms as upstream framework.AffinityTerm: a label selector over pods, the namespaces it
// applies to (the term's `namespaces`, or the owning pod's namespace when neither namespaces nor
// namespaceSelector is given, plus any namespace whose labels match namespaceSelector) and a topology key.
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { selectorFromLabelSelector, type Selector } from '../../../machinery/labels.js';

export interface AffinityTerm {
  namespaces: Set<string>;
  selector: Selector;
  namespaceSelector: Selector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export type NamespaceLabels = (ns: string) => Record<string, string> | undefined;

export function newAffinityTerm(owner: Pod, t: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set<string>(t.namespaces ?? []);
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(owner.metadata?.namespace ?? 'default');
  return {
    namespaces,
    selector: selectorFromLabelSelector(t.labelSelector),
    namespaceSelector: selectorFromLabelSelector(t.namespaceSelector),
    topologyKey: t.topologyKey,
  };
}

/** Upstream AffinityTerm.Matches: namespace in scope and labels selected. */
export function termMatchesPod(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels = () => undefined): boolean {
  const ns = pod.metadata?.namespace ?? 'default';
  if (!term.namespaces.has(ns) && !term.namespaceSelector.matches(nsLabels(ns) ?? {})) return false;
  return term.selector.matches(pod.metadata?.labels);
}

export const requiredAffinityTerms = (p: Pod) =>
  (p.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(p, t));
export const requiredAntiAffinityTerms = (p: Pod) =>
  (p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(p, t));

const weighted = (p: Pod, ts: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] =>
  (ts ?? []).map((t) => ({ ...newAffinityTerm(p, t.podAffinityTerm), weight: t.weight }));
export const preferredAffinityTerms = (p: Pod) => weighted(p, p.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
export const preferredAntiAffinityTerms = (p: Pod) => weighted(p, p.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);

/** Counts per topology pair, keyed `key\0value`. */
export class TopologyCounts extends Map<string, number> {
  add(key: string, value: string, n: number): void {
    const k = `${key}\0${value}`;
    this.set(k, (this.get(k) ?? 0) + n);
  }
  count(key: string, value: string): number {
    return this.get(`${key}\0${value}`) ?? 0;
  }
}
