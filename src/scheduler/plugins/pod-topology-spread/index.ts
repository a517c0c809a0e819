// PodTopologySpread (upstream plugins/podtopologyspread/filtering.go). PreFilter counts matching pods per
// domain (topology pair) over the nodes that count; Filter rejects a node when placing the pod there
// would make skew = pods in its domain + (1 if the pod matches its own selector) - global minimum
// exceed maxSkew. Worked example: zones a=2, b=0, maxSkew 1, pod self-matches → zone a: 2+1-0 = 3 > 1
// rejected; zone b: 0+1-0 = 1 allowed. With minDomains above the number of domains the minimum is 0.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { success, unresolvable, unschedulable, type CycleState, type FilterPlugin, type NodeInfo, type PreContext, type ScorePlugin } from '../../framework/types.js';
import { constraintsFor, countMatching, hasAllKeys, nodeCounts, type Constraint } from './constraints.js';
import { normalizePodTopologySpread, podTopologySpreadScore, preScorePodTopologySpread } from './scoring.js';

export const name = 'PodTopologySpread';
export const ERR_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
export const ERR_MISSING_LABEL = `${ERR_CONSTRAINTS} (missing required label)`;
const STATE_KEY = `PreFilter${name}`;

interface PreFilterState {
  constraints: Constraint[];
  /** Per constraint: domain value → matching pods. */
  counts: Map<string, number>[];
}

export function computePreFilterState(pod: Pod, ctx: PreContext): PreFilterState {
  const constraints = constraintsFor(pod, 'DoNotSchedule');
  const counts = constraints.map(() => new Map<string, number>());
  if (constraints.length === 0) return { constraints, counts };
  const ns = pod.metadata?.namespace ?? 'default';
  for (const ni of ctx.nodes) {
    if (!hasAllKeys(ni.node, constraints)) continue;
    const labels = ni.node.metadata?.labels ?? {};
    constraints.forEach((c, i) => {
      if (!nodeCounts(pod, ni.node, c)) return;
      const v = labels[c.topologyKey]!;
      counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(ni.pods, c, ns));
    });
  }
  return { constraints, counts };
}

function minMatch(counts: Map<string, number>, c: Constraint): number {
  if (counts.size < c.minDomains) return 0;
  let min = Infinity;
  for (const n of counts.values()) min = Math.min(min, n);
  return min === Infinity ? 0 : min;
}

export function filterPodTopologySpread(s: PreFilterState, pod: Pod, ni: NodeInfo) {
  const labels = ni.node.metadata?.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!(c.topologyKey in labels)) return unresolvable(name, ERR_MISSING_LABEL);
    const self = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
    const skew = (s.counts[i]!.get(labels[c.topologyKey]!) ?? 0) + self - minMatch(s.counts[i]!, c);
    if (skew > c.maxSkew) return unschedulable(name, ERR_CONSTRAINTS);
  }
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
    return filterPodTopologySpread(s, pod, ni);
  },
  preScore: preScorePodTopologySpread,
  score: podTopologySpreadScore,
  normalize: normalizePodTopologySpread,
} satisfies FilterPlugin & ScorePlugin;
