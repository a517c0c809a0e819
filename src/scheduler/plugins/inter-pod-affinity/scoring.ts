// InterPodAffinity scoring (upstream plugins/interpodaffinity/scoring.go). For every existing pod, each
// preferred (anti-)affinity term of the incoming pod that selects it adds (subtracts) the term's weight
// to the existing pod's topology domain; symmetrically the existing pod's preferred terms (and its
// required affinity terms, at hardPodAffinityWeight 1) that select the incoming pod count too. A node's
// score is the sum over its topology values; normalize maps [min, max] onto [0, 100]. Worked example:
// scores [-10, 0, 30] → min -10, max 30 → [0, 25, 100].
import type { Pod } from 'kubernetes-types/core/v1.js';
import { MAX_NODE_SCORE, type CycleState, type NodeInfo, type NodeScore, type PreContext } from '../../framework/types.js';
import {
  preferredAffinityTerms,
  preferredAntiAffinityTerms,
  requiredAffinityTerms,
  termMatchesPod,
  type NamespaceLabels,
  type WeightedAffinityTerm,
  type AffinityTerm,
} from './terms.js';

const STATE_KEY = 'PreScoreInterPodAffinity';
export const HARD_POD_AFFINITY_WEIGHT = 1;

type Scores = Map<string, Map<string, number>>; // topologyKey → value → score

function processTerms(scores: Scores, terms: (AffinityTerm & { weight?: number })[], target: Pod, labels: Record<string, string>, mult: number, nsLabels?: NamespaceLabels) {
  for (const t of terms) {
    if (!(t.topologyKey in labels) || !termMatchesPod(t, target, nsLabels)) continue;
    const byValue = scores.get(t.topologyKey) ?? new Map<string, number>();
    scores.set(t.topologyKey, byValue);
    const v = labels[t.topologyKey]!;
    byValue.set(v, (byValue.get(v) ?? 0) + (t.weight ?? HARD_POD_AFFINITY_WEIGHT) * mult);
  }
}

export function computeTopologyScores(pod: Pod, ctx: PreContext): Scores {
  const scores: Scores = new Map();
  const nsLabels = ctx.namespaceLabels;
  const prefAff: WeightedAffinityTerm[] = preferredAffinityTerms(pod);
  const prefAnti: WeightedAffinityTerm[] = preferredAntiAffinityTerms(pod);
  // Without preferred terms of its own, only existing pods with affinity terms can add to a domain.
  const own = prefAff.length > 0 || prefAnti.length > 0;
  for (const ni of own ? ctx.nodes : (ctx.nodesWithAffinity ?? ctx.nodes)) {
    const labels = ni.node.metadata?.labels ?? {};
    for (const existing of own ? ni.pods : (ni.podsWithAffinity ?? ni.pods)) {
      processTerms(scores, prefAff, existing, labels, 1, nsLabels);
      processTerms(scores, prefAnti, existing, labels, -1, nsLabels);
      processTerms(scores, requiredAffinityTerms(existing), pod, labels, 1, nsLabels);
      processTerms(scores, preferredAffinityTerms(existing), pod, labels, 1, nsLabels);
      processTerms(scores, preferredAntiAffinityTerms(existing), pod, labels, -1, nsLabels);
    }
  }
  return scores;
}

export function preScoreInterPodAffinity(state: CycleState, pod: Pod, ctx: PreContext): void {
  state.write(STATE_KEY, computeTopologyScores(pod, ctx));
}

export function interPodAffinityScore(state: CycleState, _pod: Pod, ni: NodeInfo): number {
  const scores = state.read<Scores>(STATE_KEY);
  if (!scores || scores.size === 0) return 0;
  let total = 0;
  for (const [k, v] of Object.entries(ni.node.metadata?.labels ?? {})) total += scores.get(k)?.get(v) ?? 0;
  return total;
}

export function normalizeInterPodAffinity(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
  const topo = state.read<Scores>(STATE_KEY);
  if (!topo || topo.size === 0 || scores.length === 0) return;
  const min = Math.min(...scores.map((s) => s.score));
  const max = Math.max(...scores.map((s) => s.score));
  const diff = max - min;
  for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
}
