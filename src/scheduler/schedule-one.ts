// One scheduling decision as a pure function, after upstream schedulePod (pkg/scheduler/schedule_one.go):
// PreFilter once, Filter over the nodes starting where the previous cycle stopped until enough feasible
// nodes are found (percentageOfNodesToScore), then PreScore/Score/NormalizeScore with the profile's
// weights and the best total wins, ties broken at random. A pod that fits nowhere yields the FitError
// message the FailedScheduling event carries.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState, isSuccess, type FilterPlugin, type PreContext, type NodeInfo, type NodeScore, type ScorePlugin, type Status } from './framework/types.js';
import { fitErrorMessage } from './framework/failure-message.js';
import { newNodeInfo } from './framework/node-info.js';

export interface Profile {
  filters: FilterPlugin[];
  scorers: { plugin: ScorePlugin; weight: number }[];
  /** Upstream percentageOfNodesToScore; 0/undefined = adaptive. */
  percentageOfNodesToScore?: number;
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /** Random source for tie-breaking (tests pass a fixed one). */
  random?: () => number;
  /**
   * Pods nominated to a node by a preemption whose victims are still terminating, with at least the
   * pod's priority (upstream RunFilterPluginsWithNominatedPods): they count as if already there.
   */
  nominated?: (nodeName: string, pod: Pod) => Pod[];
}

export type ScheduleResult =
  | { ok: true; node: string; feasible: number; evaluated: number; nextStart: number }
  /**
   * `message` is the FitError without a PostFilter part; `statuses` (per rejected node) and
   * `preFilterMsg` feed preemption, whose text fitErrorMessage then appends.
   */
  | { ok: false; message: string; nextStart: number; statuses?: Map<string, Status>; preFilterMsg?: string; state?: CycleState };

/** Upstream minFeasibleNodesToFind / minFeasibleNodesPercentageToFind. */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** Upstream numFeasibleNodesToFind: all nodes below 100, else 50% − nodes/125 (at least 5%), at least 100. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_PERCENTAGE) pct = MIN_FEASIBLE_PERCENTAGE;
  }
  if (pct >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : n;
}

export function schedulePod(pod: Pod, nodes: NodeInfo[], profile: Profile, startIndex = 0, lists?: Pick<PreContext, 'nodesWithAffinity' | 'nodesWithRequiredAntiAffinity'>): ScheduleResult {
  const n = nodes.length;
  const state = new CycleState();
  const fail = (statuses: Map<string, Status>, preFilterMsg?: string, nextStart = startIndex): ScheduleResult => ({
    ok: false,
    nextStart,
    statuses,
    preFilterMsg,
    state,
    message: fitErrorMessage({ numAllNodes: n, nodeStatuses: statuses, preFilterMsg }),
  });
  if (n === 0) return { ok: false, nextStart: 0, message: 'no nodes available to schedule pods' };
  const ctx: PreContext = { nodes, namespaceLabels: profile.namespaceLabels, ...lists };
  for (const f of profile.filters) {
    if (!f.preFilter) continue;
    const s = f.preFilter(state, pod, ctx);
    if (!isSuccess(s)) return fail(new Map(), s.reasons.join(', '));
  }
  const want = numFeasibleNodesToFind(n, profile.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const statuses = new Map<string, Status>();
  let processed = 0;
  for (; processed < n && feasible.length < want; processed++) {
    let ni = nodes[(startIndex + processed) % n]!;
    const nominated = profile.nominated?.(ni.node.metadata?.name ?? '', pod);
    if (nominated?.length) ni = newNodeInfo(ni.node, [...ni.pods, ...nominated]);
    let rejected: Status | undefined;
    for (const f of profile.filters) {
      const s = f.filter(state, pod, ni);
      if (!isSuccess(s)) {
        rejected = s;
        break;
      }
    }
    if (rejected) statuses.set(ni.node.metadata?.name ?? '', rejected);
    else feasible.push(ni);
  }
  const nextStart = (startIndex + processed) % n;
  if (feasible.length === 0) return fail(statuses, undefined, nextStart);
  const name = (ni: NodeInfo) => ni.node.metadata?.name ?? '';
  if (feasible.length === 1) return { ok: true, node: name(feasible[0]!), feasible: 1, evaluated: processed, nextStart };

  const totals = new Array<number>(feasible.length).fill(0);
  for (const { plugin } of profile.scorers) plugin.preScore?.(state, pod, { ...ctx, feasible });
  for (const { plugin, weight } of profile.scorers) {
    const scores: NodeScore[] = feasible.map((ni) => ({ name: name(ni), score: plugin.score(state, pod, ni) }));
    plugin.normalize?.(state, pod, scores);
    scores.forEach((s, i) => (totals[i]! += s.score * weight));
  }
  // Reservoir choice among the best totals, as upstream selectHost.
  const random = profile.random ?? Math.random;
  let best = 0, ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i]! > totals[best]!) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = i;
    }
  }
  return { ok: true, node: name(feasible[best]!), feasible: feasible.length, evaluated: processed, nextStart };
}
