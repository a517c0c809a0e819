// The DefaultPreemption PostFilter decision, after upstream pkg/scheduler/framework/preemption
// (Evaluator.Preempt): is the pod eligible (preemptionPolicy, no preemption of its own still
// terminating on its nominated node), which nodes might help (those a filter rejected as Unschedulable,
// not UnschedulableAndUnresolvable), a dry run of victim selection on a sample of them (at least 10% /
// 100 nodes, starting at a random offset), and the best candidate by upstream's ordering. Pure: the
// scheduler performs the evictions. When nothing helps, the message is upstream's nested FitError,
// e.g. "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.".
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { fitErrorMessage } from '../framework/failure-message.js';
import { unresolvable, type NodeInfo, type Status } from '../framework/types.js';
import { moreImportant, NO_VICTIMS_MSG, podPriority, selectVictimsOnNode, type FitContext, type Victims } from './victims.js';

export const NOT_HELPFUL_MSG = 'Preemption is not helpful for scheduling';
export const NEVER_MSG = 'not eligible due to preemptionPolicy=Never.';
export const TERMINATING_MSG = 'not eligible due to a terminating pod on the nominated node.';
/** Upstream DefaultPreemptionArgs defaults. */
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export interface PreemptInput {
  pod: Pod;
  nodes: NodeInfo[];
  /** Filter failures of the scheduling attempt, by node name (all nodes were filtered). */
  statuses: Map<string, Status>;
  fit: FitContext;
  pdbs?: PodDisruptionBudget[];
  /** The pod's nominated node, if a previous preemption chose one. */
  nominatedNode?: string;
  /** Whether a pod on the nominated node is still terminating because this scheduler preempted it. */
  terminatingByPreemption?: (p: Pod) => boolean;
  random?: () => number;
}

export type PreemptResult =
  | { ok: true; node: string; victims: Victims }
  /** `message` is the PostFilter text ("preemption: …"); clearNomination when upstream resets nominatedNodeName. */
  | { ok: false; message: string; clearNomination: boolean };

/** Upstream GetOffsetAndNumCandidates. */
export function numCandidates(numNodes: number): number {
  const n = Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  return Math.min(Math.max(n, MIN_CANDIDATE_NODES_ABSOLUTE), numNodes);
}

export function preempt(input: PreemptInput): PreemptResult {
  const { pod, nodes, statuses } = input;
  const name = (ni: NodeInfo) => ni.node.metadata?.name ?? '';
  if (pod.spec?.preemptionPolicy === 'Never') return { ok: false, message: `preemption: ${NEVER_MSG}`, clearNomination: false };
  const nom = input.nominatedNode;
  if (nom && statuses.get(nom)?.code !== 'UnschedulableAndUnresolvable') {
    const ni = nodes.find((n) => name(n) === nom);
    const prio = podPriority(pod);
    if (ni?.pods.some((p) => podPriority(p) < prio && (input.terminatingByPreemption?.(p) ?? false))) {
      return { ok: false, message: `preemption: ${TERMINATING_MSG}`, clearNomination: false };
    }
  }
  const potential = nodes.filter((ni) => statuses.get(name(ni))?.code === 'Unschedulable');
  const dryRun = new Map<string, Status>();
  const candidates: { node: string; victims: Victims }[] = [];
  if (potential.length > 0) {
    const want = numCandidates(potential.length);
    const offset = Math.floor((input.random ?? Math.random)() * potential.length);
    let nonViolating = 0;
    for (let i = 0; i < potential.length; i++) {
      const ni = potential[(offset + i) % potential.length]!;
      const r = selectVictimsOnNode(pod, ni, input.fit, input.pdbs);
      if (r.ok && r.victims.pods.length === 0) {
        dryRun.set(name(ni), unresolvable('DefaultPreemption', NO_VICTIMS_MSG));
      } else if (r.ok) {
        candidates.push({ node: name(ni), victims: r.victims });
        if (r.victims.numPDBViolations === 0) nonViolating++;
      } else {
        dryRun.set(name(ni), r.status);
      }
      if (nonViolating > 0 && candidates.length >= want) break;
    }
  }
  if (candidates.length === 0) {
    // Nodes preemption cannot help (or that were not tried) count as "Preemption is not helpful".
    for (const ni of nodes) if (!dryRun.has(name(ni))) dryRun.set(name(ni), unresolvable('DefaultPreemption', NOT_HELPFUL_MSG));
    return { ok: false, message: `preemption: ${fitErrorMessage({ numAllNodes: nodes.length, nodeStatuses: dryRun })}`, clearNomination: true };
  }
  const best = pickOneNodeForPreemption(candidates);
  return { ok: true, node: best.node, victims: best.victims };
}

const startTime = (p: Pod) => Date.parse(p.status?.startTime ?? p.metadata?.creationTimestamp ?? '') || 0;

/**
 * Upstream pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority victim,
 * the smallest sum of priorities, the fewest victims, the latest start among the highest-priority
 * victims; the first remaining candidate otherwise.
 */
export function pickOneNodeForPreemption<T extends { node: string; victims: Victims }>(candidates: T[]): T {
  const MAX_INT32_PLUS_1 = 2 ** 31;
  const scores: ((c: T) => number)[] = [
    (c) => -c.victims.numPDBViolations,
    (c) => -podPriority(c.victims.pods[0]!),
    (c) => -c.victims.pods.reduce((s, p) => s + podPriority(p) + MAX_INT32_PLUS_1, 0),
    (c) => -c.victims.pods.length,
    (c) => earliestStartOfHighest(c.victims.pods),
  ];
  let left = candidates;
  for (const f of scores) {
    let max = -Infinity;
    let sel: T[] = [];
    for (const c of left) {
      const s = f(c);
      if (s > max) (max = s), (sel = [c]);
      else if (s === max) sel.push(c);
    }
    if (sel.length === 1) return sel[0]!;
    left = sel;
  }
  return left[0]!;
}

/** Upstream GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
function earliestStartOfHighest(pods: Pod[]): number {
  if (pods.length === 0) return -Infinity;
  const top = podPriority([...pods].sort(moreImportant)[0]!);
  let earliest = Infinity;
  for (const p of pods) if (podPriority(p) === top) earliest = Math.min(earliest, startTime(p));
  return earliest;
}
