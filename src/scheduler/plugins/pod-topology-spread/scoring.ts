// PodTopologySpread scoring (upstream plugins/podtopologyspread/scoring.go) for ScheduleAnyway
// constraints. Each constraint adds cnt × log(domains + 2) + (maxSkew - 1) to a node, where cnt is the
// matching pods in the node's domain (for hostname: on the node itself); fewer pods → lower raw score,
// and normalize turns that into 100 × (max + min - s) / max. Feasible nodes lacking a topology key
// score 0. Worked example: hostname constraint, maxSkew 1, 3 feasible nodes with 0, 1, 2 matching pods →
// weight log(5) = 1.609 → raw [0, 2, 3] (rounded) → normalized [100, 33, 0].
import type { Pod } from 'kubernetes-types/core/v1.js';
import { MAX_NODE_SCORE, type CycleState, type NodeInfo, type NodeScore, type PreContext } from '../../framework/types.js';
import { scoringConstraints, countMatching, hasAllKeys, LABEL_HOSTNAME, nodeCounts, type Constraint } from './constraints.js';

const STATE_KEY = 'PreScorePodTopologySpread';

interface PreScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  /** Per constraint: domain value → matching pods (unused for hostname constraints). */
  counts: Map<string, number>[];
  weights: number[];
}

export function computePreScoreState(pod: Pod, ctx: PreContext): PreScoreState {
  const constraints = scoringConstraints(pod);
  const s: PreScoreState = { constraints, ignored: new Set(), counts: constraints.map(() => new Map()), weights: [] };
  if (constraints.length === 0) return s;
  const feasible = ctx.feasible ?? ctx.nodes;
  const sizes = constraints.map(() => 0);
  for (const ni of feasible) {
    if (!hasAllKeys(ni.node, constraints)) {
      s.ignored.add(ni.node.metadata?.name ?? '');
      continue;
    }
    const labels = ni.node.metadata?.labels ?? {};
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) {
        sizes[i]!++;
      } else if (!s.counts[i]!.has(labels[c.topologyKey]!)) {
        s.counts[i]!.set(labels[c.topologyKey]!, 0);
        sizes[i]!++;
      }
    });
  }
  s.weights = sizes.map((n) => Math.log(n + 2));
  const ns = pod.metadata?.namespace ?? 'default';
  for (const ni of ctx.nodes) {
    if (!hasAllKeys(ni.node, constraints)) continue;
    const labels = ni.node.metadata?.labels ?? {};
    constraints.forEach((c, i) => {
      const v = labels[c.topologyKey]!;
      if (c.topologyKey === LABEL_HOSTNAME || !s.counts[i]!.has(v) || !nodeCounts(pod, ni.node, c)) return;
      s.counts[i]!.set(v, s.counts[i]!.get(v)! + countMatching(ni.pods, c, ns));
    });
  }
  return s;
}

export function preScorePodTopologySpread(state: CycleState, pod: Pod, ctx: PreContext): void {
  state.write(STATE_KEY, computePreScoreState(pod, ctx));
}

export function podTopologySpreadScore(state: CycleState, pod: Pod, ni: NodeInfo): number {
  const s = state.read<PreScoreState>(STATE_KEY);
  if (!s || s.constraints.length === 0) return 0;
  const labels = ni.node.metadata?.labels ?? {};
  let score = 0;
  s.constraints.forEach((c, i) => {
    const v = labels[c.topologyKey];
    if (v === undefined) return;
    const cnt = c.topologyKey === LABEL_HOSTNAME ? countMatching(ni.pods, c, pod.metadata?.namespace ?? 'default') : s.counts[i]!.get(v) ?? 0;
    score += cnt * s.weights[i]! + (c.maxSkew - 1);
  });
  return Math.round(score);
}

export function normalizePodTopologySpread(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
  const s = state.read<PreScoreState>(STATE_KEY);
  if (!s || s.constraints.length === 0) return;
  let min = Infinity;
  let max = 0;
  for (const sc of scores) {
    if (s.ignored.has(sc.name)) continue;
    min = Math.min(min, sc.score);
    max = Math.max(max, sc.score);
  }
  for (const sc of scores) {
    if (s.ignored.has(sc.name)) sc.score = 0;
    else if (max === 0) sc.score = MAX_NODE_SCORE;
    else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
}
