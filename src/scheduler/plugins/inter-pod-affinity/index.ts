// InterPodAffinity (upstream plugins/interpodaffinity/filtering.go). PreFilter counts, per topology pair
// (e.g. zone=a), the existing pods matching the incoming pod's required affinity terms (all terms at
// once), those matching its anti-affinity terms, and the existing pods whose own required anti-affinity
// selects the incoming pod. Filter then checks, for the node's topology values: affinity satisfied
// (or the "first pod of a self-affine group" exception), no anti-affinity match, no existing pod's
// anti-affinity violated. Scoring lives in scoring.ts.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { success, unresolvable, unschedulable, type CycleState, type FilterPlugin, type NodeInfo, type PreContext, type ScorePlugin } from '../../framework/types.js';
import {
  requiredAffinityTerms,
  requiredAntiAffinityTerms,
  termMatchesPod,
  TopologyCounts,
  type AffinityTerm,
} from './terms.js';
import { interPodAffinityScore, normalizeInterPodAffinity, preScoreInterPodAffinity } from './scoring.js';

export const name = 'InterPodAffinity';
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
const STATE_KEY = `PreFilter${name}`;

interface PreFilterState {
  affinityTerms: AffinityTerm[];
  antiAffinityTerms: AffinityTerm[];
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
  existingAntiAffinityCounts: TopologyCounts;
  selfMatchesAll: boolean;
}

export function computePreFilterState(pod: Pod, ctx: PreContext): PreFilterState {
  const nsLabels = ctx.namespaceLabels;
  const affinityTerms = requiredAffinityTerms(pod);
  const antiAffinityTerms = requiredAntiAffinityTerms(pod);
  const s: PreFilterState = {
    affinityTerms,
    antiAffinityTerms,
    affinityCounts: new TopologyCounts(),
    antiAffinityCounts: new TopologyCounts(),
    existingAntiAffinityCounts: new TopologyCounts(),
    selfMatchesAll: affinityTerms.every((t) => termMatchesPod(t, pod, nsLabels)),
  };
  // Without terms of its own, only existing pods' required anti-affinity can reject the pod.
  const ownTerms = affinityTerms.length > 0 || antiAffinityTerms.length > 0;
  for (const ni of ownTerms ? ctx.nodes : (ctx.nodesWithRequiredAntiAffinity ?? ctx.nodes)) {
    const labels = ni.node.metadata?.labels ?? {};
    const candidates = ownTerms ? ni.pods : (ni.podsWithRequiredAntiAffinity ?? ni.pods);
    for (const existing of candidates) {
      for (const t of requiredAntiAffinityTerms(existing)) {
        if (t.topologyKey in labels && termMatchesPod(t, pod, nsLabels)) s.existingAntiAffinityCounts.add(t.topologyKey, labels[t.topologyKey]!, 1);
      }
      if (affinityTerms.length > 0 && affinityTerms.every((t) => termMatchesPod(t, existing, nsLabels))) {
        for (const t of affinityTerms) if (t.topologyKey in labels) s.affinityCounts.add(t.topologyKey, labels[t.topologyKey]!, 1);
      }
      for (const t of antiAffinityTerms) {
        if (t.topologyKey in labels && termMatchesPod(t, existing, nsLabels)) s.antiAffinityCounts.add(t.topologyKey, labels[t.topologyKey]!, 1);
      }
    }
  }
  return s;
}

function satisfyPodAffinity(s: PreFilterState, labels: Record<string, string>): boolean {
  let podsExist = true;
  for (const t of s.affinityTerms) {
    if (!(t.topologyKey in labels)) return false; // every topology label must exist on the node
    if (s.affinityCounts.count(t.topologyKey, labels[t.topologyKey]!) <= 0) podsExist = false;
  }
  // The first pod of a group with affinity to itself may go anywhere its topology keys exist.
  return podsExist || (s.affinityCounts.size === 0 && s.selfMatchesAll);
}

const satisfyPodAntiAffinity = (s: PreFilterState, labels: Record<string, string>) =>
  s.antiAffinityTerms.every((t) => !(t.topologyKey in labels) || s.antiAffinityCounts.count(t.topologyKey, labels[t.topologyKey]!) === 0);

const satisfyExistingAntiAffinity = (s: PreFilterState, labels: Record<string, string>) =>
  s.existingAntiAffinityCounts.size === 0 || Object.entries(labels).every(([k, v]) => s.existingAntiAffinityCounts.count(k, v) === 0);

export function filterInterPodAffinity(s: PreFilterState, ni: NodeInfo) {
  const labels = ni.node.metadata?.labels ?? {};
  if (!satisfyPodAffinity(s, labels)) return unresolvable(name, ERR_AFFINITY);
  if (!satisfyPodAntiAffinity(s, labels)) return unschedulable(name, ERR_ANTI_AFFINITY);
  if (!satisfyExistingAntiAffinity(s, labels)) return unschedulable(name, ERR_EXISTING_ANTI_AFFINITY);
  return success(name);
}

export const plugin = {
  name,
  preFilter(state: CycleState, pod: Pod, ctx: PreContext) {
    state.write(STATE_KEY, computePreFilterState(pod, ctx));
    return success(name);
  },
  filter(state, pod, ni) {
    const s = state.read<PreFilterState>(STATE_KEY) ?? computePreFilterState(pod, { nodes: [ni] });
    return filterInterPodAffinity(s, ni);
  },
  preScore: preScoreInterPodAffinity,
  score: interPodAffinityScore,
  normalize: normalizeInterPodAffinity,
} satisfies FilterPlugin & ScorePlugin;
